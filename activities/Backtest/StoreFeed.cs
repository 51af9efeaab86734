using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// History from the store as a lane feed, in event order: daily bars, or trades and quotes merged into one tick stream.
/// </summary>
public static class StoreFeed
{
    /// <summary>Rows per batch.</summary>
    public const int BlockRows = 16_384;

    /// <summary>What history to read.</summary>
    /// <param name="Shape">Bars or ticks.</param>
    /// <param name="From">First day (null: from the start).</param>
    /// <param name="To">Day after the last (null: to the end).</param>
    /// <param name="Symbols">Instruments (null: all).</param>
    /// <param name="Buffered">Daily bars only: read the whole range before the lane starts, so the store is free for
    /// other work while the lane runs (parallel research backtests share one embedded engine).</param>
    public sealed record Range(MarketShape Shape, DateOnly? From, DateOnly? To, IReadOnlyList<string>? Symbols, bool Buffered = false);

    /// <summary>The feed for a range.</summary>
    public static IAsyncEnumerable<LaneMessage> ReadAsync(IFlowStore store, Range range, CancellationToken cancellationToken) =>
        range.Shape != MarketShape.Bars ? ReadTicksAsync(store, range, cancellationToken)
        : range.Buffered ? ReadBufferedAsync(ReadBarsAsync(store, range, cancellationToken), cancellationToken)
        : ReadBarsAsync(store, range, cancellationToken);

    private static async IAsyncEnumerable<LaneMessage> ReadBufferedAsync(IAsyncEnumerable<LaneMessage> feed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var all = new List<LaneMessage>();
        await foreach (var message in feed.WithCancellation(cancellationToken).ConfigureAwait(false)) all.Add(message);
        foreach (var message in all) yield return message;
    }

    private static async IAsyncEnumerable<LaneMessage> ReadBarsAsync(IFlowStore store, Range range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sql = $"SELECT symbol, ts, toInt64(0) AS seq, open, high, low, close, volume, adj_close FROM bars_1d{Where(range)} ORDER BY ts, symbol SETTINGS max_block_size = {BlockRows}";
        await using var stream = await store.StreamArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        long sequence = 0;
        while (await stream.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            // Copied: the stream reuses the engine's buffer on the next read.
            if (batch.Length > 0) yield return new LaneMessage(new MarketBatch(MarketShape.Bars, BatchCopy.Deep(batch), sequence++));
        }
    }

    /// <summary>
    /// Trades and quotes day by day: each table read in its key order (symbol, ts, seq), which the engine streams without
    /// sorting, then merged into event order by <see cref="TickRunMerger"/>. The next day is read and merged while the
    /// lane works on the current one (at most one day waits), so the engine's read overlaps the lane.
    /// </summary>
    private static async IAsyncEnumerable<LaneMessage> ReadTicksAsync(IFlowStore store, Range range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var days = Channel.CreateBounded<List<RecordBatch>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                var merger = new TickRunMerger(BlockRows);
                foreach (var day in await DaysAsync(store, range, stop.Token).ConfigureAwait(false))
                {
                    var window = Where(range, day);
                    await AddAsync(store, $"SELECT symbol, ts, seq, price, size FROM trades{window} ORDER BY symbol, ts, seq", merger.AddTrades, stop.Token).ConfigureAwait(false);
                    await AddAsync(store, $"SELECT symbol, ts, seq, bid, bid_size, ask, ask_size FROM quotes{window} ORDER BY symbol, ts, seq", merger.AddQuotes, stop.Token).ConfigureAwait(false);
                    await days.Writer.WriteAsync(merger.Merge(), stop.Token).ConfigureAwait(false);
                }
                days.Writer.Complete();
            }
            catch (Exception e)
            {
                days.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            long sequence = 0;
            await foreach (var batches in days.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var batch in batches) yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, batch, sequence++));
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }
    }

    private static async Task AddAsync(IFlowStore store, string sql, Action<RecordBatch> add, CancellationToken cancellationToken)
    {
        await using var stream = await store.StreamArrowAsync($"{sql} SETTINGS max_block_size = {4 * BlockRows}", cancellationToken).ConfigureAwait(false);
        while (await stream.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } batch) add(batch);
    }

    /// <summary>The UTC days with ticks in the range, in order.</summary>
    private static async Task<List<DateOnly>> DaysAsync(IFlowStore store, Range range, CancellationToken cancellationToken)
    {
        var where = Where(range);
        using var result = await store.QueryArrowAsync(
            $"SELECT DISTINCT toString(toDate(ts)) AS day FROM (SELECT ts FROM trades{where} UNION ALL SELECT ts FROM quotes{where}) ORDER BY day", cancellationToken).ConfigureAwait(false);
        var days = new List<DateOnly>();
        foreach (var batch in result.Batches)
        {
            var column = ColumnView.For(batch.Column(0), "day");
            for (var row = 0; row < batch.Length; row++) days.Add(DateOnly.ParseExact(column.GetString(row), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        return days;
    }

    private static string Where(Range range, DateOnly? day = null)
    {
        var clauses = new List<string>();
        if (range.From is { } f) clauses.Add($"ts >= toDateTime64('{f:yyyy-MM-dd}', 9, 'UTC')");
        if (range.To is { } t) clauses.Add($"ts < toDateTime64('{t:yyyy-MM-dd}', 9, 'UTC')");
        if (day is { } d) clauses.Add($"ts >= toDateTime64('{d:yyyy-MM-dd}', 9, 'UTC') AND ts < toDateTime64('{d.AddDays(1):yyyy-MM-dd}', 9, 'UTC')");
        if (range.Symbols is { Count: > 0 } symbols) clauses.Add($"symbol IN ({string.Join(", ", symbols.Select(Sql.Literal))})");
        return clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
    }
}
