using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>
/// One date of a trading calendar. Times are ns UTC, computed from the calendar's local hours in its time zone (so
/// daylight saving is the zone database's). A session may open on the evening before its trading date (FX, futures).
/// </summary>
/// <param name="Calendar">Calendar name, e.g. XNYS.</param>
/// <param name="Date">Trading date (local).</param>
/// <param name="Kind">Session, holiday, or the end of the calendar's span.</param>
/// <param name="Open">First instant events are accepted (extended hours included).</param>
/// <param name="MarketOpen">Regular session open.</param>
/// <param name="MarketClose">Regular session close (earlier on an early-close day).</param>
/// <param name="Close">First instant after the session (extended hours included).</param>
/// <param name="EarlyClose">Whether the session closes early.</param>
/// <param name="Note">The holiday or early close's name; empty on an ordinary date.</param>
public sealed record TradingSession(string Calendar, DateOnly Date, SessionKind Kind, long Open, long MarketOpen, long MarketClose, long Close, bool EarlyClose, string Note)
{
    /// <summary>The session schema and its batch conversion (the <c>calendar_sessions</c> table's columns).</summary>
    public static ArrowRecordCodec<TradingSession> Arrow { get; } = new("trading_session",
    [
        Col.Utf8<TradingSession>("calendar", r => r.Calendar),
        Col.Time<TradingSession>("date", r => Nanos.FromDate(r.Date)),
        Col.Enum<TradingSession, SessionKind>("kind", r => r.Kind),
        Col.Time<TradingSession>("open_ts", r => r.Open),
        Col.Time<TradingSession>("market_open_ts", r => r.MarketOpen),
        Col.Time<TradingSession>("market_close_ts", r => r.MarketClose),
        Col.Time<TradingSession>("close_ts", r => r.Close),
        Col.Bool<TradingSession>("early_close", r => r.EarlyClose),
        Col.Utf8<TradingSession>("note", r => r.Note),
    ], r => new TradingSession(r.Utf8(0), DateOnly.FromDateTime(Nanos.ToDateTimeOffset(r.Int64(1)).UtcDateTime), r.Enum<SessionKind>(2),
        r.Int64(3), r.Int64(4), r.Int64(5), r.Int64(6), r.Bool(7), r.Utf8(8)));
}
