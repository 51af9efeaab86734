using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A print on the tape.</summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Ts">Exchange time, ns UTC.</param>
/// <param name="RecvTs">Receive time, ns UTC (equal to <paramref name="Ts"/> for historical loads).</param>
/// <param name="Sequence">Venue trade id or sequence; where the source has none, the ordinal of the row among rows of the same symbol and time in the source. Together with symbol and time it is the de-duplication key.</param>
/// <param name="Price">Trade price.</param>
/// <param name="Size">Trade size in shares/contracts/units.</param>
/// <param name="Venue">Venue or exchange code.</param>
/// <param name="Conditions">Sale condition codes as given by the source.</param>
public sealed record Trade(string Symbol, long Ts, long RecvTs, long Sequence, double Price, double Size, string Venue, string Conditions)
{
    /// <summary>The trade schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Trade> Arrow { get; } = new("trade",
    [
        Col.Utf8<Trade>("symbol", r => r.Symbol),
        Col.Time<Trade>("ts", r => r.Ts),
        Col.Time<Trade>("recv_ts", r => r.RecvTs),
        Col.Int64<Trade>("seq", r => r.Sequence),
        Col.Float64<Trade>("price", r => r.Price),
        Col.Float64<Trade>("size", r => r.Size),
        Col.Utf8<Trade>("venue", r => r.Venue),
        Col.Utf8<Trade>("conditions", r => r.Conditions),
    ], r => new Trade(r.Utf8(0), r.Int64(1), r.Int64(2), r.Int64(3), r.Float64(4), r.Float64(5), r.Utf8(6), r.Utf8(7)));
}
