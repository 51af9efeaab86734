using System.Runtime.CompilerServices;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Cli.Backtest;

/// <summary>
/// History from the store as a lane feed, in event order: daily bars, or LEAN-style trades and quotes merged into one
/// tick stream. Batches are the engine's blocks, copied out of the engine's buffer (the stream reuses it).
/// </summary>
internal static class StoreFeed
{
    /// <summary>Rows per batch the engine produces.</summary>
    public const int BlockRows = 16_384;

    public static string BarsSql(DateOnly? from, DateOnly? to, IReadOnlyList<string>? symbols) =>
        $"SELECT symbol, ts, toInt64(0) AS seq, open, high, low, close, volume, adj_close FROM bars_1d{Where(from, to, symbols)} ORDER BY ts, symbol SETTINGS max_block_size = {BlockRows}";

    public static string TicksSql(DateOnly? from, DateOnly? to, IReadOnlyList<string>? symbols)
    {
        var where = Where(from, to, symbols);
        return $"""
            SELECT symbol, ts, seq, kind, price, size, bid, bid_size, ask, ask_size FROM
            (
                SELECT symbol, ts, seq, toUInt8(0) AS kind, CAST(price AS Nullable(Float64)) AS price, CAST(size AS Nullable(Float64)) AS size,
                       CAST(NULL AS Nullable(Float64)) AS bid, CAST(NULL AS Nullable(Float64)) AS bid_size, CAST(NULL AS Nullable(Float64)) AS ask, CAST(NULL AS Nullable(Float64)) AS ask_size
                FROM trades{where}
                UNION ALL
                SELECT symbol, ts, seq, toUInt8(1) AS kind, CAST(NULL AS Nullable(Float64)), CAST(NULL AS Nullable(Float64)), bid, bid_size, ask, ask_size
                FROM quotes{where}
            )
            ORDER BY ts, kind, symbol, seq SETTINGS max_block_size = {BlockRows}
            """;
    }

    public static async IAsyncEnumerable<LaneMessage> ReadAsync(IFlowStore store, string sql, MarketShape shape, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var stream = await store.StreamArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        long sequence = 0;
        while (await stream.ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            if (batch.Length == 0) continue;
            yield return new LaneMessage(new MarketBatch(shape, BatchCopy.Deep(batch), sequence++));
        }
    }

    private static string Where(DateOnly? from, DateOnly? to, IReadOnlyList<string>? symbols)
    {
        var clauses = new List<string>();
        if (from is { } f) clauses.Add($"ts >= toDateTime64('{f:yyyy-MM-dd}', 9, 'UTC')");
        if (to is { } t) clauses.Add($"ts < toDateTime64('{t:yyyy-MM-dd}', 9, 'UTC')");
        if (symbols is { Count: > 0 }) clauses.Add($"symbol IN ({string.Join(", ", symbols.Select(Sql.Literal))})");
        return clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses);
    }
}
