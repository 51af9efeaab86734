using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>
/// A bar of the best bid and ask over a period (LEAN's QuoteBar): each side's open, high, low and close, and its size at
/// the close. FX sources publish quotes without sizes, so a size may be unknown.
/// </summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Ts">Bar open time, ns UTC.</param>
/// <param name="PeriodSeconds">Bar length in seconds (1, 60, 3600, 86400).</param>
/// <param name="BidOpen">Bid at the open.</param>
/// <param name="BidHigh">Highest bid.</param>
/// <param name="BidLow">Lowest bid.</param>
/// <param name="BidClose">Bid at the close.</param>
/// <param name="BidSize">Bid size at the close, when known.</param>
/// <param name="AskOpen">Ask at the open.</param>
/// <param name="AskHigh">Highest ask.</param>
/// <param name="AskLow">Lowest ask.</param>
/// <param name="AskClose">Ask at the close.</param>
/// <param name="AskSize">Ask size at the close, when known.</param>
/// <param name="Venue">Source venue or market.</param>
public sealed record QuoteBar(string Symbol, long Ts, int PeriodSeconds, double BidOpen, double BidHigh, double BidLow, double BidClose, double? BidSize,
    double AskOpen, double AskHigh, double AskLow, double AskClose, double? AskSize, string Venue)
{
    /// <summary>The quote-bar schema and its batch conversion.</summary>
    public static ArrowRecordCodec<QuoteBar> Arrow { get; } = new("quote_bar",
    [
        Col.Utf8<QuoteBar>("symbol", r => r.Symbol),
        Col.Time<QuoteBar>("ts", r => r.Ts),
        Col.Int32<QuoteBar>("period_s", r => r.PeriodSeconds),
        Col.Float64<QuoteBar>("bid_open", r => r.BidOpen),
        Col.Float64<QuoteBar>("bid_high", r => r.BidHigh),
        Col.Float64<QuoteBar>("bid_low", r => r.BidLow),
        Col.Float64<QuoteBar>("bid_close", r => r.BidClose),
        Col.Float64<QuoteBar>("bid_size", r => r.BidSize),
        Col.Float64<QuoteBar>("ask_open", r => r.AskOpen),
        Col.Float64<QuoteBar>("ask_high", r => r.AskHigh),
        Col.Float64<QuoteBar>("ask_low", r => r.AskLow),
        Col.Float64<QuoteBar>("ask_close", r => r.AskClose),
        Col.Float64<QuoteBar>("ask_size", r => r.AskSize),
        Col.Utf8<QuoteBar>("venue", r => r.Venue),
    ], r => new QuoteBar(r.Utf8(0), r.Int64(1), r.Int32(2), r.Float64(3), r.Float64(4), r.Float64(5), r.Float64(6), r.Float64OrNull(7),
        r.Float64(8), r.Float64(9), r.Float64(10), r.Float64(11), r.Float64OrNull(12), r.Utf8(13)));
}
