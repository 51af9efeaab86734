using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using CroweLogic.Flow.Contracts.Calendars;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Tests.Shared;
using Xunit;

namespace CroweLogic.Flow.Contracts.Tests;

/// <summary>
/// The shipped calendars against independent references: LEAN's market-hours database (its NYSE holidays and early
/// closes, maintained by hand from the exchange's notices) and the dates SPY actually traded in LEAN's daily file.
/// </summary>
public sealed class TradingCalendarTests
{
    private static readonly DateOnly From = new(1999, 1, 1), To = new(2028, 12, 31);

    private static JsonElement LeanEquityHours()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedPaths.Data, "lean", "Data", "market-hours", "market-hours-database.json")));
        return doc.RootElement.GetProperty("entries").GetProperty("Equity-usa-[*]").Clone();
    }

    private static DateOnly Us(string text) => DateOnly.ParseExact(text, "M/d/yyyy", CultureInfo.InvariantCulture);

    private static bool Weekday(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    [Fact]
    public void Nyse_holidays_1999_to_2028_are_leans_exactly()
    {
        var lean = LeanEquityHours().GetProperty("holidays").EnumerateArray().Select(e => Us(e.GetString()!))
            .Where(d => d >= From && d <= To && Weekday(d)).ToHashSet();
        var ours = new HashSet<DateOnly>();
        for (var d = From; d <= To; d = d.AddDays(1))
            if (TradingCalendars.Xnys.On(d) is { Kind: SessionKind.Holiday }) ours.Add(d);
        Assert.Equal(lean.Order(), ours.Order());
        Assert.Equal(282, ours.Count); // 30 years of ~9.4 weekday closures
    }

    [Fact]
    public void Nyse_early_closes_1999_to_2028_are_leans_exactly_and_close_at_1300()
    {
        var lean = LeanEquityHours().GetProperty("earlyCloses").EnumerateObject()
            .Select(p => (Date: Us(p.Name), Close: TimeSpan.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture)))
            .Where(e => e.Date >= From && e.Date <= To && Weekday(e.Date)).ToList();
        var ours = new List<TradingSession>();
        for (var d = From; d <= To; d = d.AddDays(1))
            if (TradingCalendars.Xnys.On(d) is { EarlyClose: true } s) ours.Add(s);
        Assert.Equal(lean.Select(e => e.Date).Order(), ours.Select(s => s.Date).Order());
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        foreach (var s in ours)
        {
            var close = TimeZoneInfo.ConvertTime(Nanos.ToDateTimeOffset(s.MarketClose), ny);
            Assert.Equal(lean.Single(e => e.Date == s.Date).Close, close.TimeOfDay);
            Assert.Equal(TimeSpan.FromHours(17), TimeZoneInfo.ConvertTime(Nanos.ToDateTimeOffset(s.Close), ny).TimeOfDay);
        }
    }

    [Fact]
    public void Every_date_spy_traded_1998_to_2021_is_an_xnys_session_and_every_session_traded()
    {
        using var zip = ZipFile.OpenRead(Path.Combine(SharedPaths.Data, "lean", "Data", "equity", "usa", "daily", "spy.zip"));
        using var reader = new StreamReader(zip.Entries[0].Open());
        var traded = new List<DateOnly>();
        while (reader.ReadLine() is { Length: > 0 } line) traded.Add(DateOnly.ParseExact(line[..8], "yyyyMMdd", CultureInfo.InvariantCulture));
        var sessions = TradingCalendars.Xnys.TradingDates(traded[0], traded[^1]).ToList();
        Assert.Equal(5849, traded.Count);
        Assert.Empty(traded.Except(sessions));
        Assert.Empty(sessions.Except(traded));
    }

    [Fact]
    public void Session_instants_follow_new_york_daylight_saving()
    {
        // 2013-03-08 is the Friday before the switch to EDT: 04:00 EST = 09:00 UTC; the Monday after, 04:00 EDT = 08:00 UTC.
        var friday = TradingCalendars.Xnys.On(new DateOnly(2013, 3, 8))!;
        var monday = TradingCalendars.Xnys.On(new DateOnly(2013, 3, 11))!;
        Assert.Equal(new DateTimeOffset(2013, 3, 8, 9, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(friday.Open));
        Assert.Equal(new DateTimeOffset(2013, 3, 8, 14, 30, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(friday.MarketOpen));
        Assert.Equal(new DateTimeOffset(2013, 3, 11, 8, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(monday.Open));
        Assert.Equal(new DateTimeOffset(2013, 3, 12, 0, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(monday.Close));
    }

    [Fact]
    public void Fx_opens_sunday_1700_new_york_and_closes_friday_1700()
    {
        var monday = TradingCalendars.Fx.On(new DateOnly(2014, 5, 5))!;
        var friday = TradingCalendars.Fx.On(new DateOnly(2014, 5, 9))!;
        Assert.Equal(new DateTimeOffset(2014, 5, 4, 21, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(monday.Open));
        Assert.Equal(new DateTimeOffset(2014, 5, 9, 21, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(friday.Close));
        Assert.Null(TradingCalendars.Fx.On(new DateOnly(2014, 5, 10)));
        Assert.Null(TradingCalendars.Fx.On(new DateOnly(2014, 5, 11)));
        // Each session opens where the one before closed: no gap inside the week.
        Assert.Equal(monday.Close, TradingCalendars.Fx.On(new DateOnly(2014, 5, 6))!.Open);
    }

    [Fact]
    public void Cme_globex_pauses_an_hour_between_sessions_and_crypto_never_does()
    {
        var tuesday = TradingCalendars.CmeGlobex.On(new DateOnly(2013, 10, 8))!;
        var monday = TradingCalendars.CmeGlobex.On(new DateOnly(2013, 10, 7))!;
        Assert.Equal(TimeSpan.FromHours(1), Nanos.ToDateTimeOffset(tuesday.Open) - Nanos.ToDateTimeOffset(monday.Close));
        Assert.Equal(new DateTimeOffset(2013, 10, 6, 22, 0, 0, TimeSpan.Zero), Nanos.ToDateTimeOffset(monday.Open)); // Sunday 17:00 CDT
        var sessions = TradingCalendars.AroundTheClock.Sessions().Where(s => s.Kind == SessionKind.Session).Take(1000).ToList();
        Assert.All(sessions.Zip(sessions.Skip(1)), p => Assert.Equal(p.First.Close, p.Second.Open));
        Assert.Equal(new DateOnly(1970, 1, 1), sessions[0].Date);
    }

    [Theory]
    [InlineData(2000, 4, 23)]
    [InlineData(2008, 3, 23)]
    [InlineData(2011, 4, 24)]
    [InlineData(2019, 4, 21)]
    [InlineData(2024, 3, 31)]
    [InlineData(2038, 4, 25)]
    public void Easter_matches_the_published_dates(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), UsEquityCalendar.Easter(year));

    [Fact]
    public void The_span_ends_with_an_end_row_and_unknown_names_are_refused()
    {
        var last = TradingCalendars.Xnys.Sessions().Last();
        Assert.Equal(SessionKind.End, last.Kind);
        Assert.Equal(new DateOnly(2031, 1, 1), last.Date);
        var error = Assert.Throws<ArgumentException>(() => TradingCalendars.Named("XLON"));
        Assert.Contains("XNYS, XNAS, FX, CME_GLOBEX, 24/7", error.Message);
        Assert.Same(TradingCalendars.Xnys, TradingCalendars.Named("xnys"));
    }
}
