using System.Runtime.CompilerServices;
using CroweLogic.Flow.Dataflow.Clocks;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Paper trading's feed: a historical feed released in real time (scaled by the clock's speed). Batches are cut into
/// micro-batches of about one millisecond of wall time (speed × 1 ms of event time, at least 1 ms), each handed to the
/// lane when the replay clock reaches its last event, so the lane sees the data arrive as it would live. Commands pass
/// straight through. The lane's orders do not depend on where batches are cut, so paper and backtest agree exactly.
/// </summary>
public static class PacedFeed
{
    /// <summary>Paces <paramref name="source"/> on <paramref name="clock"/>.</summary>
    public static async IAsyncEnumerable<LaneMessage> Pace(IAsyncEnumerable<LaneMessage> source, ReplayClock clock, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var window = (long)Math.Max(1_000_000, clock.Speed * 1_000_000);
        long sequence = 0;
        await foreach (var message in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (message.Market is not { } market || market.Batch.Length == 0)
            {
                yield return message;
                continue;
            }
            var batch = market.Batch;
            var (start, rows) = (0, batch.Length);
            while (start < rows)
            {
                var (end, first, last) = Window(batch, start, window);
                clock.Start(first);
                await clock.WaitUntilAsync(last, cancellationToken).ConfigureAwait(false);
                var slice = start == 0 && end == rows ? batch : batch.Slice(start, end - start);
                yield return new LaneMessage(new MarketBatch(market.Shape, slice, sequence++));
                start = end;
            }
        }
    }

    /// <summary>Rows from <paramref name="start"/> within one window of event time (the feed is in time order).</summary>
    private static (int End, long First, long Last) Window(Apache.Arrow.RecordBatch batch, int start, long window)
    {
        var ts = LaneColumns.Int64s(batch, "ts", "the paced feed");
        var end = start + 1;
        while (end < ts.Length && ts[end] < ts[start] + window) end++;
        return (end, ts[start], ts[end - 1]);
    }
}
