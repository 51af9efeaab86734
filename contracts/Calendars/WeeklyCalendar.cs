namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>
/// A market that trades the same hours every trading weekday and has no holidays: crypto around the clock, FX from
/// Sunday 17:00 to Friday 17:00 New York, CME Globex from 17:00 Chicago the evening before to 16:00.
/// </summary>
/// <param name="name">Calendar name.</param>
/// <param name="timeZoneId">IANA zone of the hours.</param>
/// <param name="description">What it covers.</param>
/// <param name="days">The weekdays that are trading dates.</param>
/// <param name="open">Session open, after the trading date's local midnight (negative: the evening before).</param>
/// <param name="marketOpen">Regular session open.</param>
/// <param name="marketClose">Regular session close.</param>
/// <param name="close">Session close.</param>
public sealed class WeeklyCalendar(string name, string timeZoneId, string description, IReadOnlySet<DayOfWeek> days, TimeSpan open, TimeSpan marketOpen, TimeSpan marketClose, TimeSpan close)
    : TradingCalendar
{
    /// <inheritdoc />
    public override string Name => name;

    /// <inheritdoc />
    public override string TimeZoneId => timeZoneId;

    /// <inheritdoc />
    public override string Description => description;

    /// <inheritdoc />
    public override DateOnly First { get; } = new(1970, 1, 1);

    /// <inheritdoc />
    public override DateOnly Last { get; } = new(2099, 12, 31);

    /// <inheritdoc />
    public override TradingSession? On(DateOnly date) => days.Contains(date.DayOfWeek)
        ? new TradingSession(Name, date, SessionKind.Session, Local(date, open), Local(date, marketOpen), Local(date, marketClose), Local(date, close), false, "")
        : null;
}
