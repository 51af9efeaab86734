using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Bybit's public order-book history (<c>YYYY-MM-DD_SYMBOL_ob500.data.zip</c>: one JSON message a line, a
/// <c>snapshot</c> then <c>delta</c>s that set a level's size, "0" removing it) into <c>book_deltas</c> as
/// <c>SYMBOL.BYBIT</c>: one row per level, its message's update id <c>u</c> as the sequence, the matching engine's
/// <c>cts</c> as the time and Bybit's publish <c>ts</c> as the receive time. A line that is not such a message is
/// quarantined whole, as its text.
/// </summary>
public static partial class BybitOrderBookImporter
{
    [GeneratedRegex(@"[-_]ob\d+\.data(\.zip)?$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    /// <summary>True for a Bybit order-book file, zipped as published or extracted.</summary>
    public static bool Accepts(string path) => File.Exists(path) && FileName().IsMatch(Path.GetFileName(path));

    /// <summary>Registers the file's instruments (crypto defaults) and ingests its levels.</summary>
    /// <exception cref="InvalidDataException">A zip that holds no .data entry.</exception>
    public static async Task<IngestReport> ImportAsync(IFlowStore store, string path, CancellationToken cancellationToken = default)
    {
        var zipped = path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        using var extracted = zipped ? ExtractedZipEntry.Extract(path, ".data") : null;
        var data = extracted?.Path ?? path;
        var file = $"file({Sql.Literal(Path.GetFullPath(data))}, LineAsString, 'line String')";
        var symbols = new List<string>();
        using (var result = await store.QueryArrowAsync($"SELECT DISTINCT {Symbol} AS s FROM {file} WHERE isValidJSON(line) AND s != '.BYBIT' ORDER BY 1", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var view = Contracts.Arrow.ColumnView.For(batch.Column(0), "symbol");
                for (var i = 0; i < batch.Length; i++) symbols.Add(view.GetString(i));
            }
        }
        await InstrumentRegistry.EnsureAsync(store, [.. symbols.Select(s => Instrument.Defaults(s, AssetClass.Crypto) with { Venue = "BYBIT" })], cancellationToken).ConfigureAwait(false);
        var source = new FileIngestSource($"bybit:orderbook:{Path.GetFileName(path)}", data, "LineAsString", "line String", Mapping, FileIngestSource.HashFile(path));
        return await new IngestPipeline(store).IngestAsync(MarketDataTable.BookDeltas, source, cancellationToken).ConfigureAwait(false);
    }

    private const string Symbol = "concat(upper(JSONExtractString(line, 'data', 's')), '.BYBIT')";

    private static string Millis(string json) => $"if(isNull({json}), NULL, fromUnixTimestamp64Milli(assumeNotNull({json}), 'UTC'))";

    // A message without levels loads nothing and is no row; a line that is not JSON is one rejected row.
    private static string Mapping(string src) =>
        "SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(p_recv, ts) AS recv_ts, ifNull(p_u, 0) AS seq, level.1 AS side, " +
        "multiIf(kind = 'snapshot', 'snapshot', p_size = 0, 'delete', 'upsert') AS action, ifNull(p_price, nan) AS price, ifNull(p_size, nan) AS size, _source_reason, _raw " +
        "FROM (SELECT *, toFloat64OrNull(level.2) AS p_price, toFloat64OrNull(level.3) AS p_size, " +
        $"if(NOT valid OR kind NOT IN ('snapshot', 'delta') OR symbol = '.BYBIT' OR isNull(p_ts) OR isNull(p_u) OR isNull(p_price) OR isNull(p_size), '{RejectReasons.Unparseable}', '') AS _source_reason, " +
        "if(_source_reason != '', formatRowNoNewline('JSONEachRow', line), '') AS _raw " +
        "FROM (SELECT *, arrayJoin(if(valid, levels, [('', '', '')])) AS level " +
        $"FROM (SELECT line, isValidJSON(line) AS valid, JSONExtractString(line, 'type') AS kind, {Symbol} AS symbol, " +
        $"{Millis("JSONExtract(line, 'cts', 'Nullable(Int64)')")} AS p_cts, {Millis("JSONExtract(line, 'ts', 'Nullable(Int64)')")} AS p_recv, ifNull(p_cts, p_recv) AS p_ts, " +
        "JSONExtract(line, 'data', 'u', 'Nullable(Int64)') AS p_u, " +
        "arrayConcat(arrayMap(l -> ('bid', l[1], l[2]), JSONExtract(line, 'data', 'b', 'Array(Array(String))')), " +
        $"arrayMap(l -> ('ask', l[1], l[2]), JSONExtract(line, 'data', 'a', 'Array(Array(String))'))) AS levels FROM {src})))";
}
