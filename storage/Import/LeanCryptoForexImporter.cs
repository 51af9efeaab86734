using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads LEAN's forex quote ticks (<c>forex/&lt;market&gt;/tick/&lt;pair&gt;/&lt;yyyyMMdd&gt;_quote.zip</c>: ms, bid, ask) into
/// <c>quotes</c>, and its crypto trade bars (<c>crypto/&lt;market&gt;/minute/&lt;pair&gt;/&lt;yyyyMMdd&gt;_trade.zip</c> and
/// <c>crypto/&lt;market&gt;/daily/&lt;pair&gt;_trade.zip</c>: time, open, high, low, close, volume) into <c>bars_1m</c> and
/// <c>bars_1d</c>. Prices are plain (not deci-cents) and times UTC, as LEAN stores both asset classes. The same pair
/// from two markets is two instruments, named <c>PAIR.MARKET</c> (EURUSD.OANDA, EURUSD.FXCM), so one venue's quote
/// never counts as the other's duplicate; they are registered on the FX and 24/7 calendars.
/// </summary>
public static partial class LeanCryptoForexImporter
{
    private enum Kind { ForexTick, CryptoMinuteTrade, CryptoDailyTrade }

    private sealed record LeanFile(string Path, Kind Kind, string Symbol, string Market, DateOnly? Date);

    /// <summary>True for a zip of a layout this importer loads.</summary>
    public static bool Supports(string zip) => Classify(zip) is not null;

    /// <summary>True for such a zip, or a directory that holds some.</summary>
    public static bool Accepts(string path) => File.Exists(path) ? Supports(path) : Directory.Exists(path) && Files(path).Any();

    private static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*.zip", SearchOption.AllDirectories).Where(Supports).Order(StringComparer.Ordinal);

    /// <summary>Imports one zip or every supported zip under a directory.</summary>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = (File.Exists(path) ? [path] : Files(path)).Select(f => Classify(f)!).ToArray();
        await InstrumentRegistry.EnsureAsync(store, [.. files.Select(f => f.Kind == Kind.ForexTick
            ? Instrument.Forex(f.Symbol, f.Market)
            : Instrument.Crypto(f.Symbol, f.Market, QuoteCurrency(f.Symbol))).DistinctBy(i => i.Symbol)], cancellationToken).ConfigureAwait(false);
        var pipeline = new IngestPipeline(store);
        var reports = new List<IngestReport>();
        for (var i = 0; i < files.Length; i++)
        {
            progress?.Report(new ImportProgress($"{files[i].Symbol}/{System.IO.Path.GetFileName(files[i].Path)}", i, files.Length));
            reports.Add(await ImportFileAsync(pipeline, files[i], cancellationToken).ConfigureAwait(false));
        }
        progress?.Report(new ImportProgress("done", files.Length, files.Length));
        return reports;
    }

    private static async Task<IngestReport> ImportFileAsync(IngestPipeline pipeline, LeanFile file, CancellationToken cancellationToken)
    {
        using var csv = LeanCsv.Extract(file.Path);
        var (table, structure, mapping) = file.Kind switch
        {
            Kind.ForexTick => (MarketDataTable.Quotes, "ms String, bid String, ask String", (Func<string, string>)(src => TickQuoteMapping(src, file))),
            Kind.CryptoMinuteTrade => (MarketDataTable.Bars1m, "ms String, open String, high String, low String, close String, volume String", src => BarMapping(src, file)),
            _ => (MarketDataTable.Bars1d, "time String, open String, high String, low String, close String, volume String", src => BarMapping(src, file)),
        };
        var source = new FileIngestSource($"lean:{file.Symbol}/{System.IO.Path.GetFileName(file.Path)}", csv.Path, "CSV", structure, mapping,
            FileIngestSource.HashFile(file.Path), "input_format_csv_allow_variable_number_of_columns = 1");
        return await pipeline.IngestAsync(table, source, cancellationToken).ConfigureAwait(false);
    }

    // Milliseconds after the file date's UTC midnight.
    private static string IntradayTime(DateOnly date) =>
        $"fromUnixTimestamp64Nano({new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} * 1000000000 + ifNull(ms_i, 0) * 1000000, 'UTC')";

    // A zero price means the side is absent from the update (as in LEAN's equity quotes); LEAN's forex ticks carry no sizes.
    private static string TickQuoteMapping(string src, LeanFile file) =>
        $"SELECT {Sql.Literal(file.Symbol)} AS symbol, ts, ts AS recv_ts, toInt64(row_number() OVER (PARTITION BY ms_i ORDER BY _row) - 1) AS seq, " +
        "if(bp = 0, NULL, bp) AS bid, CAST(NULL AS Nullable(Float64)) AS bid_size, if(ap = 0, NULL, ap) AS ask, CAST(NULL AS Nullable(Float64)) AS ask_size, " +
        $"{Sql.Literal(file.Market)} AS venue, '' AS conditions, _source_reason, {ParseSql.Raw("_source_reason", "ms", "bid", "ask")} AS _raw " +
        $"FROM (SELECT *, {ParseSql.Unparseable("ms_i", "bp", "ap")} AS _source_reason FROM (SELECT *, rowNumberInAllBlocks() AS _row, {ParseSql.Int("ms")} AS ms_i, " +
        $"{ParseSql.Float("bid")} AS bp, {ParseSql.Float("ask")} AS ap, {IntradayTime(file.Date!.Value)} AS ts FROM {src}))";

    private static string BarMapping(string src, LeanFile file)
    {
        var (time, timeField) = file.Kind == Kind.CryptoMinuteTrade
            ? ($"{IntradayTime(file.Date!.Value)}", "ms")
            : ("toDateTime64(ifNull(toDateOrNull(concat(substring(trimBoth(time), 1, 4), '-', substring(trimBoth(time), 5, 2), '-', substring(trimBoth(time), 7, 2))), toDate(0)), 9, 'UTC')", "time");
        var dateCheck = file.Kind == Kind.CryptoMinuteTrade ? "ms_i" : "toDateOrNull(concat(substring(trimBoth(time), 1, 4), '-', substring(trimBoth(time), 5, 2), '-', substring(trimBoth(time), 7, 2)))";
        return $"SELECT {Sql.Literal(file.Symbol)} AS symbol, ts, ifNull(o, nan) AS open, ifNull(h, nan) AS high, ifNull(l, nan) AS low, ifNull(c, nan) AS close, ifNull(v, nan) AS volume, " +
            "CAST(NULL AS Nullable(Float64)) AS vwap, toInt64(0) AS trade_count, CAST(NULL AS Nullable(Float64)) AS adj_close, " +
            $"_source_reason, {ParseSql.Raw("_source_reason", timeField, "open", "high", "low", "close", "volume")} AS _raw " +
            $"FROM (SELECT *, {ParseSql.Unparseable(dateCheck, "o", "h", "l", "c", "v")} AS _source_reason FROM (SELECT *, " +
            (file.Kind == Kind.CryptoMinuteTrade ? $"{ParseSql.Int("ms")} AS ms_i, " : "") +
            $"{ParseSql.Float("open")} AS o, {ParseSql.Float("high")} AS h, {ParseSql.Float("low")} AS l, {ParseSql.Float("close")} AS c, {ParseSql.Float("volume")} AS v, {time} AS ts FROM {src}))";
    }

    private static LeanFile? Classify(string zip)
    {
        var full = System.IO.Path.GetFullPath(zip);
        var parts = full.Split(System.IO.Path.DirectorySeparatorChar);
        var name = parts[^1];
        if (parts.Length >= 5 && parts[^5] == "forex" && parts[^3] == "tick" && DatedFile().Match(name) is { Success: true } tick && tick.Groups[2].Value == "quote")
            return new LeanFile(full, Kind.ForexTick, $"{parts[^2].ToUpperInvariant()}.{parts[^4].ToUpperInvariant()}", parts[^4].ToUpperInvariant(), Date(tick.Groups[1].Value));
        if (parts.Length >= 5 && parts[^5] == "crypto" && parts[^3] == "minute" && DatedFile().Match(name) is { Success: true } minute && minute.Groups[2].Value == "trade")
            return new LeanFile(full, Kind.CryptoMinuteTrade, $"{parts[^2].ToUpperInvariant()}.{parts[^4].ToUpperInvariant()}", parts[^4].ToUpperInvariant(), Date(minute.Groups[1].Value));
        if (parts.Length >= 4 && parts[^4] == "crypto" && parts[^2] == "daily" && DailyTradeFile().Match(name) is { Success: true } daily)
            return new LeanFile(full, Kind.CryptoDailyTrade, $"{daily.Groups[1].Value.ToUpperInvariant()}.{parts[^3].ToUpperInvariant()}", parts[^3].ToUpperInvariant(), null);
        return null;
    }

    private static DateOnly Date(string yyyymmdd) => DateOnly.ParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture);

    // BTCUSD → USD, ETHUSDT → USDT: the pair's quote currency (the longest known suffix).
    private static string QuoteCurrency(string symbol)
    {
        var pair = symbol.Split('.')[0];
        foreach (var quote in new[] { "USDT", "USDC", "USD", "EUR", "GBP", "BTC", "ETH" })
            if (pair.Length > quote.Length && pair.EndsWith(quote, StringComparison.Ordinal)) return quote;
        return "";
    }

    [GeneratedRegex(@"^(\d{8})_(trade|quote)\.zip$")]
    private static partial Regex DatedFile();

    [GeneratedRegex(@"^([a-z0-9]+)_trade\.zip$")]
    private static partial Regex DailyTradeFile();
}
