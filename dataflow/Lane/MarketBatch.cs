using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// One Arrow record batch of market data entering the lane. Rows are in event-time order; a feed cuts batches wherever
/// it likes (by size or arrival window) and the lane's decisions do not depend on where the cuts fall.
/// </summary>
/// <param name="Shape">Ticks or bars.</param>
/// <param name="Batch">The rows.</param>
/// <param name="Sequence">Feed sequence number, consecutive from 0.</param>
public sealed record MarketBatch(MarketShape Shape, RecordBatch Batch, long Sequence);
