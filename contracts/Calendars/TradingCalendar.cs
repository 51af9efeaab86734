using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>
/// A market's trading dates over a span of years: which dates trade, from when to when, and which weekdays are
/// holidays. Written as rules (not a downloaded list) so every year in the span is defined the same way.
/// </summary>
public abstract class TradingCalendar
{
    private TimeZoneInfo? _zone;

    /// <summary>The calendar's name (an ISO 10383 MIC where there is one).</summary>
    public abstract string Name { get; }

    /// <summary>IANA time zone the hours are given in.</summary>
    public abstract string TimeZoneId { get; }

    /// <summary>What the calendar covers, for <c>flow calendars</c>.</summary>
    public abstract string Description { get; }

    /// <summary>First date the calendar defines.</summary>
    public abstract DateOnly First { get; }

    /// <summary>Last date the calendar defines.</summary>
    public abstract DateOnly Last { get; }

    /// <summary>The time zone.</summary>
    public TimeZoneInfo Zone => _zone ??= TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>The session on <paramref name="date"/>, a holiday row, or null for a date that is not a trading weekday.</summary>
    public abstract TradingSession? On(DateOnly date);

    /// <summary>Every session and holiday of the span in date order, then the <see cref="SessionKind.End"/> row.</summary>
    public IEnumerable<TradingSession> Sessions()
    {
        for (var date = First; date <= Last; date = date.AddDays(1))
            if (On(date) is { } session) yield return session;
        var end = Local(Last.AddDays(1), TimeSpan.Zero);
        yield return new TradingSession(Name, Last.AddDays(1), SessionKind.End, end, end, end, FarFuture, false, $"{Name} is defined through {Last:yyyy-MM-dd}");
    }

    /// <summary>The trading dates between two dates (inclusive).</summary>
    public IEnumerable<DateOnly> TradingDates(DateOnly from, DateOnly to)
    {
        for (var date = from; date <= to; date = date.AddDays(1))
            if (On(date) is { Kind: SessionKind.Session }) yield return date;
    }

    /// <summary>ns UTC of a local time on a date, <paramref name="offset"/> after its local midnight (negative: the evening before).</summary>
    protected long Local(DateOnly date, TimeSpan offset) =>
        Nanos.FromDateTime(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(date.ToDateTime(TimeOnly.MinValue) + offset, DateTimeKind.Unspecified), Zone));

    /// <summary>A holiday row covering the local day.</summary>
    protected TradingSession Holiday(DateOnly date, string name)
    {
        var start = Local(date, TimeSpan.Zero);
        var end = Local(date.AddDays(1), TimeSpan.Zero);
        return new TradingSession(Name, date, SessionKind.Holiday, start, start, end, end, false, name);
    }

    // DateTime64(9) ends in April 2262: the End row stays open to the last representable year.
    private static readonly long FarFuture = Nanos.FromDate(new DateOnly(2262, 1, 1));
}
