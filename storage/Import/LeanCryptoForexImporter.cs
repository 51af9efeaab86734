using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads LEAN's forex and crypto data: quote ticks (<c>forex/&lt;market&gt;/tick/&lt;pair&gt;/&lt;yyyyMMdd&gt;_quote.zip</c>: ms,
/// bid, ask) into <c>quotes</c>; trade bars (<c>crypto/&lt;market&gt;/second|minute/&lt;pair&gt;/&lt;yyyyMMdd&gt;_trade.zip</c>,
/// <c>crypto/&lt;market&gt;/daily/&lt;pair&gt;_trade.zip</c>: time, open, high, low, close, volume) into <c>bars_1s</c>,
/// <c>bars_1m</c> and <c>bars_1d</c>; and quote bars of every resolution (the <c>_quote.zip</c> files, and forex's
/// <c>hour|daily/&lt;pair&gt;.zip</c>: time, bid OHLC, bid size, ask OHLC, ask size) into <c>quote_bars</c>. Prices are
/// plain (not deci-cents) and times UTC, as LEAN stores both asset classes; a zero size is unknown (FX publishes
/// none). The same pair from two markets is two instruments, named <c>PAIR.MARKET</c> (EURUSD.OANDA, EURUSD.FXCM), so
/// one venue's quote never counts as the other's duplicate; they are registered on the FX and 24/7 calendars.
/// </summary>
public static partial class LeanCryptoForexImporter
{
    private enum Kind { QuoteTick, TradeBar, QuoteBar }

    private sealed record LeanFile(string Path, string Asset, Kind Kind, string Symbol, string Market, int PeriodSeconds, DateOnly? Date)
    {
        public MarketDataTable Table => Kind switch
        {
            Kind.QuoteTick => MarketDataTable.Quotes,
            Kind.QuoteBar => MarketDataTable.QuoteBars,
            _ => PeriodSeconds switch { 1 => MarketDataTable.Bars1s, 60 => MarketDataTable.Bars1m, _ => MarketDataTable.Bars1d },
        };
    }

    private static readonly Dictionary<string, int> Periods = new(StringComparer.Ordinal) { ["second"] = 1, ["minute"] = 60, ["hour"] = 3600, ["daily"] = 86_400 };

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
        await InstrumentRegistry.EnsureAsync(store, [.. files.Select(f => f.Asset == "forex"
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
        using var csv = ExtractedZipEntry.Extract(file.Path);
        var time = file.Date is null ? "time" : "ms";
        var (structure, mapping) = file.Kind switch
        {
            Kind.QuoteTick => ("ms String, bid String, ask String", (Func<string, string>)(src => TickQuoteMapping(src, file))),
            Kind.TradeBar => ($"{time} String, open String, high String, low String, close String, volume String", src => TradeBarMapping(src, file)),
            _ => ($"{time} String, bid_open String, bid_high String, bid_low String, bid_close String, bid_size String, ask_open String, ask_high String, ask_low String, ask_close String, ask_size String",
                src => QuoteBarMapping(src, file)),
        };
        var source = new FileIngestSource($"lean:{file.Symbol}/{System.IO.Path.GetFileName(file.Path)}", csv.Path, "CSV", structure, mapping,
            FileIngestSource.HashFile(file.Path), "input_format_csv_allow_variable_number_of_columns = 1");
        return await pipeline.IngestAsync(file.Table, source, cancellationToken).ConfigureAwait(false);
    }

    // A file's time: milliseconds after the file date's UTC midnight (intraday files), or "yyyyMMdd HH:mm" (hour and daily files).
    private static (string Parsed, string Field) Time(LeanFile file) => file.Date is { } date
        ? ($"if(isNull({ParseSql.Int("ms")}), NULL, fromUnixTimestamp64Nano({new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} * 1000000000 + {ParseSql.Int("ms")} * 1000000, 'UTC'))", "ms")
        : ("toDateTime64OrNull(concat(substring(trimBoth(time), 1, 4), '-', substring(trimBoth(time), 5, 2), '-', substring(trimBoth(time), 7, 2), ' ', substring(trimBoth(time), 10, 5), ':00'), 9, 'UTC')", "time");

    // A zero price means the side is absent from the update (as in LEAN's equity quotes); LEAN's forex ticks carry no sizes.
    private static string TickQuoteMapping(string src, LeanFile file) =>
        $"SELECT {Sql.Literal(file.Symbol)} AS symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, toInt64(row_number() OVER (PARTITION BY p_ts ORDER BY _row) - 1) AS seq, " +
        "if(bp = 0, NULL, bp) AS bid, CAST(NULL AS Nullable(Float64)) AS bid_size, if(ap = 0, NULL, ap) AS ask, CAST(NULL AS Nullable(Float64)) AS ask_size, " +
        $"{Sql.Literal(file.Market)} AS venue, '' AS conditions, _source_reason, {ParseSql.Raw("_source_reason", "ms", "bid", "ask")} AS _raw " +
        $"FROM (SELECT *, {ParseSql.Unparseable("p_ts", "bp", "ap")} AS _source_reason FROM (SELECT *, rowNumberInAllBlocks() AS _row, " +
        $"{ParseSql.Float("bid")} AS bp, {ParseSql.Float("ask")} AS ap, {Time(file).Parsed} AS p_ts FROM {src}))";

    private static string TradeBarMapping(string src, LeanFile file)
    {
        var (time, field) = Time(file);
        return $"SELECT {Sql.Literal(file.Symbol)} AS symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(o, nan) AS open, ifNull(h, nan) AS high, ifNull(l, nan) AS low, ifNull(c, nan) AS close, ifNull(v, nan) AS volume, " +
            "CAST(NULL AS Nullable(Float64)) AS vwap, toInt64(0) AS trade_count, CAST(NULL AS Nullable(Float64)) AS adj_close, " +
            $"_source_reason, {ParseSql.Raw("_source_reason", field, "open", "high", "low", "close", "volume")} AS _raw " +
            $"FROM (SELECT *, {ParseSql.Unparseable("p_ts", "o", "h", "l", "c", "v")} AS _source_reason FROM (SELECT *, " +
            $"{ParseSql.Float("open")} AS o, {ParseSql.Float("high")} AS h, {ParseSql.Float("low")} AS l, {ParseSql.Float("close")} AS c, {ParseSql.Float("volume")} AS v, {time} AS p_ts FROM {src}))";
    }

    private static string QuoteBarMapping(string src, LeanFile file)
    {
        var (time, field) = Time(file);
        string[] prices = ["bid_open", "bid_high", "bid_low", "bid_close", "ask_open", "ask_high", "ask_low", "ask_close"];
        return $"SELECT {Sql.Literal(file.Symbol)} AS symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, toInt32({file.PeriodSeconds.ToString(CultureInfo.InvariantCulture)}) AS period_s, " +
            string.Join(", ", prices.Select(p => $"ifNull(p_{p}, nan) AS {p}")) + ", " +
            "if(p_bid_size = 0, NULL, p_bid_size) AS bid_size, if(p_ask_size = 0, NULL, p_ask_size) AS ask_size, " +
            $"{Sql.Literal(file.Market)} AS venue, _source_reason, {ParseSql.Raw("_source_reason", [field, .. prices, "bid_size", "ask_size"])} AS _raw " +
            $"FROM (SELECT *, {ParseSql.Unparseable(["p_ts", .. prices.Select(p => "p_" + p), "p_bid_size", "p_ask_size"])} AS _source_reason FROM (SELECT *, " +
            string.Join(", ", prices.Append("bid_size").Append("ask_size").Select(p => $"{ParseSql.Float(p)} AS p_{p}")) + $", {time} AS p_ts FROM {src}))";
    }

    private static LeanFile? Classify(string zip)
    {
        var full = System.IO.Path.GetFullPath(zip);
        var parts = full.Split(System.IO.Path.DirectorySeparatorChar);
        var name = parts[^1];
        // Intraday: <asset>/<market>/<resolution>/<pair>/<yyyyMMdd>_<kind>.zip
        if (parts.Length >= 5 && parts[^5] is "forex" or "crypto" && DatedFile().Match(name) is { Success: true } dated)
        {
            var (asset, market, resolution, pair, kind) = (parts[^5], parts[^4].ToUpperInvariant(), parts[^3], parts[^2].ToUpperInvariant(), dated.Groups[2].Value);
            var date = DateOnly.ParseExact(dated.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture);
            return (resolution, kind) switch
            {
                ("tick", "quote") when asset == "forex" => new LeanFile(full, asset, Kind.QuoteTick, $"{pair}.{market}", market, 0, date),
                ("second" or "minute", "trade") => new LeanFile(full, asset, Kind.TradeBar, $"{pair}.{market}", market, Periods[resolution], date),
                ("second" or "minute", "quote") => new LeanFile(full, asset, Kind.QuoteBar, $"{pair}.{market}", market, Periods[resolution], date),
                _ => null,
            };
        }
        // Hour and daily: <asset>/<market>/<resolution>/<pair>[_<kind>].zip (forex files hold quotes and have no kind).
        if (parts.Length >= 4 && parts[^4] is "forex" or "crypto" && parts[^2] is "hour" or "daily" && PairFile().Match(name) is { Success: true } whole)
        {
            var (asset, market, resolution, pair) = (parts[^4], parts[^3].ToUpperInvariant(), parts[^2], whole.Groups[1].Value.ToUpperInvariant());
            var kind = whole.Groups[3].Success ? whole.Groups[3].Value : asset == "forex" ? "quote" : "";
            return kind switch
            {
                "quote" => new LeanFile(full, asset, Kind.QuoteBar, $"{pair}.{market}", market, Periods[resolution], null),
                "trade" when resolution == "daily" => new LeanFile(full, asset, Kind.TradeBar, $"{pair}.{market}", market, 86_400, null),
                _ => null,
            };
        }
        return null;
    }

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

    [GeneratedRegex(@"^([a-z0-9]+)(_(trade|quote))?\.zip$")]
    private static partial Regex PairFile();
}
