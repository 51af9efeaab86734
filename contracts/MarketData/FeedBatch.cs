using Apache.Arrow;

namespace CroweLogic.Flow.Contracts.MarketData;

/// <summary>
/// Rows a feed received, in the lane's tick shape (<see cref="Arrow.TickBatchBuilder"/>): <c>ts</c> is the exchange's
/// time of each event, <c>seq</c> the feed's per-instrument sequence.
/// </summary>
/// <param name="Ticks">The rows.</param>
/// <param name="ReceivedNanos">Wall time (ns since the epoch) the first of the rows was read off the wire: freshness is this minus <c>ts</c>.</param>
/// <param name="ReceivedTimestamp"><see cref="System.Diagnostics.Stopwatch"/> timestamp of that read: where tick-to-order latency starts.</param>
public sealed record FeedBatch(RecordBatch Ticks, long ReceivedNanos, long ReceivedTimestamp);
