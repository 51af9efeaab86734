using CroweLogic.Flow.Contracts.Calendars;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Storage.Calendars;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Event times are checked against the instrument's calendar: holidays, early closes, FX weeks, crypto weekends.</summary>
public class CalendarIngestTests
{
    private static long Utc(int y, int m, int d, int h, int min = 0) => Nanos.FromDateTime(new DateTime(y, m, d, h, min, 0, DateTimeKind.Utc));

    private static Trade T(string symbol, long ts) => new(symbol, ts, ts, 0, 10, 1, "X", "");

    public static TheoryData<string, string, long> Cases => new()
    {
        // AAPL is on XNAS (ContractSamples registers it with the US-equity defaults).
        { "", "AAPL", Utc(2024, 7, 3, 20, 30) },                                // 16:30 EDT on an early-close day: extended hours run to 17:00
        { RejectReasons.OutsideSession, "AAPL", Utc(2024, 7, 3, 21, 30) },       // 17:30 EDT: after the early extended close
        { "", "AAPL", Utc(2024, 7, 2, 23, 30) },                                // 19:30 EDT on an ordinary day
        { RejectReasons.MarketHoliday, "AAPL", Utc(2024, 7, 4, 15) },            // Independence Day
        { RejectReasons.MarketHoliday, "AAPL", Utc(2025, 1, 9, 15) },            // the day of mourning for Jimmy Carter
        { RejectReasons.MarketHoliday, "AAPL", Utc(2024, 3, 29, 15) },           // Good Friday
        { RejectReasons.OutsideSession, "AAPL", Utc(2024, 3, 30, 15) },          // a Saturday
        { RejectReasons.OutsideCalendar, "AAPL", Utc(1997, 6, 2, 15) },          // before XNAS's span
        { "", "EURUSD", Utc(2014, 5, 4, 21, 30) },                              // Sunday 17:30 New York: the FX week has opened
        { RejectReasons.OutsideSession, "EURUSD", Utc(2014, 5, 4, 20, 30) },     // Sunday 16:30: not yet
        { "", "EURUSD", Utc(2014, 5, 9, 20, 59) },                              // Friday 16:59
        { RejectReasons.OutsideSession, "EURUSD", Utc(2014, 5, 9, 21, 0) },      // Friday 17:00: closed for the weekend
        { "", "EURUSD", Utc(2014, 5, 7, 3) },                                   // Tuesday night
        { "", "BTCUSDT", Utc(2024, 12, 25, 3) },                                // crypto on Christmas Day
        { "", "BTCUSDT", Utc(2024, 3, 30, 15) },                                // and on a Saturday
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_trade_is_accepted_or_quarantined_by_its_calendar(string reason, string symbol, long ts)
    {
        using var temp = await TempStore.CreateAsync();
        await InstrumentRegistry.EnsureAsync(temp.Store, [Instrument.Forex("EURUSD", "OANDA")]);
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([T(symbol, ts)]));
        Assert.Equal(reason == "" ? (1, 0) : (0, 1), (report.Accepted, report.Rejected));
        if (reason != "") Assert.Equal($"{reason}\t{symbol}", await temp.TextAsync("SELECT reason, symbol FROM rejects"));
    }

    [Fact]
    public async Task A_daily_bar_on_a_holiday_is_quarantined_as_one()
    {
        using var temp = await TempStore.CreateAsync();
        Bar Daily(int month, int day) => new("AAPL", Nanos.FromDate(new DateOnly(2024, month, day)), 10, 11, 9, 10, 1, null, 0, null);
        var report = await Ingest(temp, MarketDataTable.Bars1d, Bar.Arrow.Encode([Daily(1, 12), Daily(1, 15), Daily(1, 13), Daily(1, 16)]));
        Assert.Equal(2, report.Accepted);
        Assert.Equal(new Dictionary<string, long> { [RejectReasons.MarketHoliday] = 1, [RejectReasons.OutsideSession] = 1 }, report.RejectsByReason);
        Assert.Equal("2024-01-13\toutside_session\n2024-01-15\tmarket_holiday",
            await temp.TextAsync("SELECT toDate(ts), reason FROM rejects ORDER BY ts"));
    }

    [Fact]
    public async Task An_instrument_without_a_calendar_or_with_an_unknown_one_is_named_and_a_custom_one_keeps_its_hours()
    {
        using var temp = await TempStore.CreateAsync();
        var equity = Instrument.UsEquity("X");
        await InstrumentRegistry.EnsureAsync(temp.Store, [equity with { Symbol = "NOCAL", Calendar = "" }, equity with { Symbol = "LSE", Calendar = "XLON" },
            equity with { Symbol = "OWN", Calendar = TradingCalendars.Custom, SessionStartSeconds = 10 * 3600, SessionEndSeconds = 11 * 3600 }]);
        var monday = Utc(2024, 7, 1, 14, 30); // 10:30 New York
        var report = await Ingest(temp, MarketDataTable.Trades, Trade.Arrow.Encode([T("NOCAL", monday), T("LSE", monday), T("OWN", monday), T("OWN", monday + 3_600_000_000_000)]));
        Assert.Equal(1, report.Accepted);
        Assert.Equal("LSE\toutside_calendar\nNOCAL\tno_calendar\nOWN\toutside_session", await temp.TextAsync("SELECT symbol, reason FROM rejects ORDER BY symbol"));
    }

    [Fact]
    public async Task The_sessions_are_a_table_rewritten_only_when_the_rules_change()
    {
        using var temp = await TempStore.CreateAsync();
        // 2024: 262 weekdays less ten exchange holidays; three early closes (3 July, 29 November, 24 December).
        Assert.Equal("252\t10\t3", await temp.TextAsync(
            "SELECT countIf(kind = 'session'), countIf(kind = 'holiday'), countIf(early_close) FROM calendar_sessions WHERE calendar = 'XNYS' AND toYear(date) = 2024"));
        Assert.Equal("Juneteenth", await temp.TextAsync("SELECT note FROM calendar_sessions WHERE calendar = 'XNAS' AND date = '2024-06-19'"));
        Assert.False(await CalendarSessionStore.SyncAsync(temp.Store));
        await temp.Store.ExecuteAsync("ALTER TABLE calendar_sessions UPDATE version = 'old' WHERE calendar = 'FX' SETTINGS mutations_sync = 1");
        Assert.True(await CalendarSessionStore.SyncAsync(temp.Store));
        Assert.Equal(TradingCalendars.Sessions.Count, await temp.CountAsync($"SELECT count() FROM calendar_sessions WHERE version = '{TradingCalendars.Version}'"));
        var christmas = await CalendarSessionStore.ReadAsync(temp.Store, "calendar = 'XNYS' AND date = '2024-12-25'");
        Assert.Equal(TradingCalendars.Xnys.On(new DateOnly(2024, 12, 25)), Assert.Single(christmas));
    }

    [Fact]
    public async Task Instruments_stored_without_a_calendar_take_their_asset_classs()
    {
        using var temp = await TempStore.CreateAsync();
        await temp.Store.ExecuteAsync("INSERT INTO instruments (symbol, asset_class, venue, currency, tick_size, lot_size, multiplier, session_tz, session_start_s, session_end_s, trades_weekends, name, sector) VALUES " +
            "('E1', 'equity', 'XNAS', 'USD', 0.01, 100, 1, 'America/New_York', 14400, 72000, false, '', ''), ('C1', 'crypto', '', '', 0.01, 1, 1, 'UTC', 0, 86400, true, '', ''), ('O1', 'option', '', '', 0.01, 1, 100, 'America/New_York', 34200, 57600, false, '', '')");
        Assert.Equal("C1\t24/7\nE1\tXNAS\nO1\tcustom", await temp.TextAsync("SELECT symbol, calendar FROM instruments FINAL WHERE symbol IN ('E1', 'C1', 'O1') ORDER BY symbol"));
    }

    private static Task<IngestReport> Ingest(TempStore temp, MarketDataTable table, Apache.Arrow.RecordBatch batch) =>
        new IngestPipeline(temp.Store).IngestAsync(table, new ArrowIngestSource("test", batch.Schema, [batch]));
}
