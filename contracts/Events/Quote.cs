using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A top-of-book quote update; a side absent from the update is null.</summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Ts">Exchange time, ns UTC.</param>
/// <param name="RecvTs">Receive time, ns UTC.</param>
/// <param name="Sequence">Venue sequence, or the ordinal among rows of the same symbol and time in the source.</param>
/// <param name="Bid">Bid price, null when this update carries no bid.</param>
/// <param name="BidSize">Bid size, null when this update carries no bid.</param>
/// <param name="Ask">Ask price, null when this update carries no ask.</param>
/// <param name="AskSize">Ask size, null when this update carries no ask.</param>
/// <param name="Venue">Venue or exchange code.</param>
/// <param name="Conditions">Quote condition codes as given by the source.</param>
public sealed record Quote(string Symbol, long Ts, long RecvTs, long Sequence, double? Bid, double? BidSize, double? Ask, double? AskSize, string Venue, string Conditions)
{
    /// <summary>The quote schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Quote> Arrow { get; } = new("quote",
    [
        Col.Utf8<Quote>("symbol", r => r.Symbol),
        Col.Time<Quote>("ts", r => r.Ts),
        Col.Time<Quote>("recv_ts", r => r.RecvTs),
        Col.Int64<Quote>("seq", r => r.Sequence),
        Col.Float64<Quote>("bid", r => r.Bid),
        Col.Float64<Quote>("bid_size", r => r.BidSize),
        Col.Float64<Quote>("ask", r => r.Ask),
        Col.Float64<Quote>("ask_size", r => r.AskSize),
        Col.Utf8<Quote>("venue", r => r.Venue),
        Col.Utf8<Quote>("conditions", r => r.Conditions),
    ], r => new Quote(r.Utf8(0), r.Int64(1), r.Int64(2), r.Int64(3), r.Float64OrNull(4), r.Float64OrNull(5), r.Float64OrNull(6), r.Float64OrNull(7), r.Utf8(8), r.Utf8(9)));
}
