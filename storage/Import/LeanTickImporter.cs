using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads LEAN US-equity tick files (<c>tick/&lt;symbol&gt;/&lt;yyyyMMdd&gt;_trade.zip|_quote.zip</c>): prices in
/// deci-cents, times in milliseconds since local midnight (New York). Zero prices in quote ticks mean the side
/// is absent from the update; rows LEAN marks suspicious are quarantined as flagged by the source.
/// </summary>
public static partial class LeanTickImporter
{
    private const string TradeStructure = "ms String, price String, quantity String, exchange String, condition String, suspicious String";
    private const string QuoteStructure = "ms String, bid String, bid_size String, ask String, ask_size String, exchange String, condition String, suspicious String";

    /// <summary>True for a LEAN US-equity tick zip, or a directory that holds some.</summary>
    public static bool Accepts(string path) =>
        File.Exists(path) ? IsEquityTick(path) : Directory.Exists(path) && Files(path).Any();

    /// <summary>The US-equity tick zips under a directory (recursively), in a stable order.</summary>
    public static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*.zip", SearchOption.AllDirectories).Where(IsEquityTick).Order(StringComparer.Ordinal);

    /// <summary>
    /// LEAN zips under <paramref name="path"/> (or the file itself) that neither this importer nor
    /// <see cref="LeanCryptoForexImporter"/> loads — futures, equity bars, equity quote bars, crypto ticks — grouped by
    /// asset class, market and resolution (e.g. <c>future/cme/minute</c>). They are refused, never read as another layout.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Unsupported(string path)
    {
        var zips = File.Exists(path) ? [path] : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.zip", SearchOption.AllDirectories) : [];
        return zips.Where(z => LeanZip().IsMatch(Path.GetFileName(z)) && !IsEquityTick(z) && !LeanCryptoForexImporter.Supports(z)).GroupBy(Layout).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    // A tick zip of LEAN's US-equity layout: equity/<market>/tick/<symbol>/<yyyyMMdd>_trade|quote.zip.
    private static bool IsEquityTick(string path)
    {
        var full = Path.GetFullPath(path);
        var symbolDir = Path.GetDirectoryName(full);
        var resolutionDir = symbolDir is null ? null : Path.GetDirectoryName(symbolDir);
        var marketDir = resolutionDir is null ? null : Path.GetDirectoryName(resolutionDir);
        var assetDir = marketDir is null ? null : Path.GetDirectoryName(marketDir);
        return TickFile().IsMatch(Path.GetFileName(full)) && Path.GetFileName(resolutionDir) == "tick" && Path.GetFileName(assetDir) == "equity";
    }

    // asset/market/resolution of a LEAN zip: the three folders above the symbol folder (or above the file, for daily and hourly files that sit in the resolution folder).
    private static string Layout(string zip)
    {
        var parts = Path.GetFullPath(zip).Split(Path.DirectorySeparatorChar);
        var resolution = Array.FindLastIndex(parts, p => p is "tick" or "second" or "minute" or "hour" or "daily");
        return resolution >= 2 ? $"{parts[resolution - 2]}/{parts[resolution - 1]}/{parts[resolution]}" : Path.GetFileName(Path.GetDirectoryName(zip)) ?? zip;
    }

    /// <summary>Imports one zip or every zip under a directory.</summary>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = File.Exists(path) ? [path] : Files(path).ToArray();
        await InstrumentRegistry.EnsureAsync(store, [.. files.Select(f => Instrument.UsEquity(SymbolOf(f)))], cancellationToken).ConfigureAwait(false);
        var pipeline = new IngestPipeline(store);
        var reports = new List<IngestReport>();
        for (var i = 0; i < files.Length; i++)
        {
            progress?.Report(new ImportProgress(Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(files[i])!)!, files[i]), i, files.Length));
            reports.Add(await ImportFileAsync(pipeline, files[i], cancellationToken).ConfigureAwait(false));
        }
        progress?.Report(new ImportProgress("done", files.Length, files.Length));
        return reports;
    }

    private static async Task<IngestReport> ImportFileAsync(IngestPipeline pipeline, string zip, CancellationToken cancellationToken)
    {
        var match = TickFile().Match(Path.GetFileName(zip));
        var date = DateOnly.ParseExact(match.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture);
        var isTrade = match.Groups[2].Value == "trade";
        var symbol = SymbolOf(zip);

        using var csv = ExtractedZipEntry.Extract(zip);
        var source = new FileIngestSource($"lean:{symbol}/{Path.GetFileName(zip)}", csv.Path, "CSV",
            isTrade ? TradeStructure : QuoteStructure, src => isTrade ? TradeMapping(src, symbol, date) : QuoteMapping(src, symbol, date),
            FileIngestSource.HashFile(zip), "input_format_csv_allow_variable_number_of_columns = 1");
        return await pipeline.IngestAsync(isTrade ? MarketDataTable.Trades : MarketDataTable.Quotes, source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Nanoseconds of a LEAN local time: local midnight as UTC plus the day's offset (taken at noon, so DST switches at
    /// 02:00 local, outside any equity session, do not matter) plus the milliseconds.
    /// </summary>
    private static string Time(DateOnly date) =>
        $"fromUnixTimestamp64Nano((toInt64(toUnixTimestamp(toDateTime('{date:yyyy-MM-dd} 00:00:00', 'UTC'))) - timeZoneOffset(toDateTime('{date:yyyy-MM-dd} 12:00:00', 'America/New_York'))) * 1000000000 + ifNull(ms_i, 0) * 1000000, 'UTC')";

    // seq: ordinal among rows of the same millisecond in file order, so re-loading reproduces the same keys.
    private static string Common(string symbol) =>
        $"{Sql.Literal(symbol)} AS symbol, ts, ts AS recv_ts, toInt64(row_number() OVER (PARTITION BY ms_i ORDER BY _row) - 1) AS seq";

    private static string TradeMapping(string src, string symbol, DateOnly date) =>
        $"SELECT {Common(symbol)}, ifNull(p / 10000, nan) AS price, ifNull(q, nan) AS size, exchange AS venue, condition AS conditions, " +
        $"multiIf(isNull(ms_i) OR isNull(p) OR isNull(q), '{RejectReasons.Unparseable}', trimBoth(suspicious) = '1', '{RejectReasons.FlaggedBySource}', '') AS _source_reason, " +
        $"_raw FROM (SELECT *, rowNumberInAllBlocks() AS _row, {ParseSql.Int("ms")} AS ms_i, {ParseSql.Float("price")} AS p, {ParseSql.Float("quantity")} AS q, {Time(date)} AS ts, " +
        $"{ParseSql.Raw("if(isNull(ms_i) OR isNull(p) OR isNull(q) OR trimBoth(suspicious) = '1', 'x', '')", "ms", "price", "quantity", "exchange", "condition", "suspicious")} AS _raw FROM {src})";

    private static string QuoteMapping(string src, string symbol, DateOnly date) =>
        $"SELECT {Common(symbol)}, if(bp = 0, NULL, bp / 10000) AS bid, if(bp = 0, NULL, bs) AS bid_size, if(ap = 0, NULL, ap / 10000) AS ask, if(ap = 0, NULL, as_) AS ask_size, " +
        "exchange AS venue, condition AS conditions, " +
        $"multiIf(isNull(ms_i) OR isNull(bp) OR isNull(bs) OR isNull(ap) OR isNull(as_), '{RejectReasons.Unparseable}', trimBoth(suspicious) = '1', '{RejectReasons.FlaggedBySource}', '') AS _source_reason, " +
        $"_raw FROM (SELECT *, rowNumberInAllBlocks() AS _row, {ParseSql.Int("ms")} AS ms_i, {ParseSql.Float("bid")} AS bp, {ParseSql.Float("bid_size")} AS bs, " +
        $"{ParseSql.Float("ask")} AS ap, {ParseSql.Float("ask_size")} AS as_, {Time(date)} AS ts, " +
        $"{ParseSql.Raw("if(isNull(ms_i) OR isNull(bp) OR isNull(bs) OR isNull(ap) OR isNull(as_) OR trimBoth(suspicious) = '1', 'x', '')", "ms", "bid", "bid_size", "ask", "ask_size", "exchange", "condition", "suspicious")} AS _raw FROM {src})";

    private static string SymbolOf(string zip) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(zip)))!.ToUpperInvariant();

    [GeneratedRegex(@"^(\d{8})_(trade|quote)\.zip$")]
    private static partial Regex TickFile();

    // LEAN's data zips: <yyyyMMdd>_<kind>.zip (intraday) or <symbol>_<kind>.zip / <symbol>.zip (daily, hourly).
    [GeneratedRegex(@"^(\d{8}_(trade|quote|openinterest)|[a-z0-9]+(_(trade|quote|openinterest))?)\.zip$")]
    private static partial Regex LeanZip();
}
