using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>A change to one price level of an L2 order book.</summary>
/// <param name="Symbol">Instrument symbol.</param>
/// <param name="Ts">Exchange time, ns UTC.</param>
/// <param name="RecvTs">Receive time, ns UTC.</param>
/// <param name="Sequence">Venue sequence number (ordering and de-duplication key).</param>
/// <param name="Side">Book side.</param>
/// <param name="Action">Snapshot row, upsert, delete of a level, or clear of the book.</param>
/// <param name="Price">Level price.</param>
/// <param name="Size">Total size at the level after the change (0 for delete).</param>
public sealed record BookDelta(string Symbol, long Ts, long RecvTs, long Sequence, BookSide Side, BookAction Action, double Price, double Size)
{
    /// <summary>The L2 delta schema and its batch conversion.</summary>
    public static ArrowRecordCodec<BookDelta> Arrow { get; } = new("book_delta",
    [
        Col.Utf8<BookDelta>("symbol", r => r.Symbol),
        Col.Time<BookDelta>("ts", r => r.Ts),
        Col.Time<BookDelta>("recv_ts", r => r.RecvTs),
        Col.Int64<BookDelta>("seq", r => r.Sequence),
        Col.Enum<BookDelta, BookSide>("side", r => r.Side),
        Col.Enum<BookDelta, BookAction>("action", r => r.Action),
        Col.Float64<BookDelta>("price", r => r.Price),
        Col.Float64<BookDelta>("size", r => r.Size),
    ], r => new BookDelta(r.Utf8(0), r.Int64(1), r.Int64(2), r.Int64(3), r.Enum<BookSide>(4), r.Enum<BookAction>(5), r.Float64(6), r.Float64(7)));
}
