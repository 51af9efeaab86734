using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Market-data files in the formats vendors publish, told apart by their columns: Tardis.dev CSV (trades,
/// incremental_book_L2, book_snapshot_N), Binance futures diff-depth CSV (snapshot and updates), Binance trades and
/// quotes Parquet, and TrueFX ticks. Each is mapped by SQL onto a contract table with every row accounted for; the
/// instruments are registered as <c>SYMBOL.VENUE</c> (XBTUSD.BITMEX, BTCUSDT.BINANCE-FUTURES, USDJPY.TRUEFX) with the
/// defaults of their asset class, so one venue's rows never count as another's duplicates.
/// </summary>
public static class VendorFileImporter
{
    /// <summary>A recognised format: its name, target table and how its rows map.</summary>
    /// <param name="Name">Shown in reports, e.g. tardis:trades.</param>
    /// <param name="Table">Target table.</param>
    /// <param name="AssetClass">Class of the instruments it carries.</param>
    /// <param name="Symbols">SQL over the file relation (alias f) giving each row's instrument symbol.</param>
    /// <param name="Mapping">From the file relation, the contract columns plus <c>_source_reason</c> and <c>_raw</c>.</param>
    public sealed record Format(string Name, MarketDataTable Table, AssetClass AssetClass, string Symbols, Func<string, string> Mapping);

    private static string Micros(string field) => $"if(isNull(toInt64OrNull(trimBoth({field}))), NULL, fromUnixTimestamp64Micro(toInt64OrNull(trimBoth({field})), 'UTC'))";

    private static string Millis(string field) => $"if(isNull(toInt64OrNull(trimBoth({field}))), NULL, fromUnixTimestamp64Milli(toInt64OrNull(trimBoth({field})), 'UTC'))";

    private static string Venue(string name) => name.ToUpperInvariant();

    // The name before the first '-' or '_' of a file (btcusdt-trades.parquet → BTCUSDT, usdjpy-ticks.csv → USDJPY).
    private static string FilePrefix(string path) => Path.GetFileNameWithoutExtension(path).Split('-', '_')[0].ToUpperInvariant();

    /// <summary>The vendor format of a CSV or Parquet file, or null when its columns are no vendor's this importer knows.</summary>
    public static async Task<Format?> RecognizeAsync(IFlowStore store, string path, CancellationToken cancellationToken = default)
    {
        var columns = await ColumnsAsync(store, path, cancellationToken).ConfigureAwait(false);
        if (columns is null) return null;
        var set = columns.ToHashSet(StringComparer.Ordinal);
        bool Is(params string[] expected) => set.SetEquals(expected);

        if (Is("exchange", "symbol", "timestamp", "local_timestamp", "id", "side", "price", "amount"))
            return new Format("tardis:trades", MarketDataTable.Trades, AssetClass.Crypto, TardisSymbol("f"), src => TardisTrades(src));
        if (Is("exchange", "symbol", "timestamp", "local_timestamp", "is_snapshot", "side", "price", "amount"))
            return new Format("tardis:incremental_book_L2", MarketDataTable.BookDeltas, AssetClass.Crypto, TardisSymbol("f"), src => TardisIncremental(src));
        if (columns.Count > 4 && columns.Take(4).SequenceEqual(["exchange", "symbol", "timestamp", "local_timestamp"]) && columns.Skip(4).All(c => c.StartsWith("asks[", StringComparison.Ordinal) || c.StartsWith("bids[", StringComparison.Ordinal)))
            return new Format($"tardis:book_snapshot_{columns.Count(c => c.StartsWith("asks[", StringComparison.Ordinal) && c.EndsWith(".price", StringComparison.Ordinal))}", MarketDataTable.BookDeltas, AssetClass.Crypto,
                TardisSymbol("f"), src => TardisSnapshot(src, columns));
        if (Is("symbol", "timestamp", "first_update_id", "last_update_id", "side", "update_type", "price", "qty", "pu"))
            return new Format("binance:futures_depth", MarketDataTable.BookDeltas, AssetClass.Crypto, "concat(upper(trimBoth(f.symbol)), '.BINANCE-FUTURES')", src => BinanceDepth(src));
        if (Is("timestamp", "trade_id", "price", "quantity", "buyer_maker"))
        {
            var symbol = $"{FilePrefix(path)}.BINANCE";
            return new Format("binance:trades", MarketDataTable.Trades, AssetClass.Crypto, Sql.Literal(symbol), src => BinanceTrades(src, symbol));
        }
        if (Is("timestamp", "symbol", "ask_size", "ask", "bid_size", "bid"))
            return new Format("binance:book_ticker", MarketDataTable.Quotes, AssetClass.Crypto, "concat(replaceAll(upper(trimBoth(f.symbol)), '/', ''), '.BINANCE')", src => BinanceQuotes(src));
        if (Is("timestamp", "bid", "ask"))
        {
            var symbol = $"{FilePrefix(path)}.TRUEFX";
            return new Format("truefx:ticks", MarketDataTable.Quotes, AssetClass.Forex, Sql.Literal(symbol), src => TrueFx(src, symbol));
        }
        return null;
    }

    /// <summary>Registers the file's instruments and ingests it.</summary>
    public static async Task<IngestReport> ImportAsync(IFlowStore store, string path, Format format, CancellationToken cancellationToken = default)
    {
        var (structure, formatName) = await StructureAsync(store, path, cancellationToken).ConfigureAwait(false);
        var file = $"file({Sql.Literal(Path.GetFullPath(path))}, {formatName}, {Sql.Literal(structure)})";
        var symbols = new List<string>();
        using (var result = await store.QueryArrowAsync($"SELECT DISTINCT toString({format.Symbols}) AS s FROM {file} AS f WHERE s != '' ORDER BY 1", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var view = ColumnView.For(batch.Column(0), "symbol");
                for (var i = 0; i < batch.Length; i++) symbols.Add(view.GetString(i));
            }
        }
        await InstrumentRegistry.EnsureAsync(store, [.. symbols.Select(s => Instrument.Defaults(s, format.AssetClass) with { Venue = s[(s.LastIndexOf('.') + 1)..] })], cancellationToken).ConfigureAwait(false);
        var source = new FileIngestSource($"{format.Name}:{Path.GetFileName(path)}", path, formatName, structure, format.Mapping, FileIngestSource.HashFile(path));
        return await new IngestPipeline(store).IngestAsync(format.Table, source, cancellationToken).ConfigureAwait(false);
    }

    private static string TardisSymbol(string alias) => $"concat(upper(trimBoth({alias}.symbol)), '.', upper(trimBoth({alias}.exchange)))";

    // seq: the row's ordinal among rows of the same instrument and time in the file, so re-loading reproduces the keys.
    private static string Seq(string ts) => $"toInt64(row_number() OVER (PARTITION BY symbol, {ts} ORDER BY _row) - 1)";

    private static string TardisTrades(string src) =>
        $"SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(p_recv, ts) AS recv_ts, {Seq("p_ts")} AS seq, ifNull(p_price, nan) AS price, ifNull(p_amount, nan) AS size, " +
        "upper(trimBoth(exchange)) AS venue, trimBoth(side) AS conditions, _source_reason, _raw FROM (SELECT *, " +
        $"{ParseSql.Unparseable("p_ts", "p_recv", "p_price", "p_amount")} AS _source_reason, {ParseSql.Raw("_source_reason", "exchange", "symbol", "timestamp", "local_timestamp", "id", "side", "price", "amount")} AS _raw " +
        $"FROM (SELECT *, rowNumberInAllBlocks() AS _row, {TardisSymbol("s0")} AS symbol, {Micros("timestamp")} AS p_ts, {Micros("local_timestamp")} AS p_recv, " +
        $"{ParseSql.Float("price")} AS p_price, {ParseSql.Float("amount")} AS p_amount FROM {src} AS s0))";

    private static string TardisIncremental(string src) =>
        $"SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(p_recv, ts) AS recv_ts, toInt64(_row) AS seq, trimBoth(side) AS side, " +
        "multiIf(trimBoth(is_snapshot) = 'true', 'snapshot', p_amount = 0, 'delete', 'upsert') AS action, ifNull(p_price, nan) AS price, ifNull(p_amount, nan) AS size, _source_reason, _raw FROM (SELECT *, " +
        $"if(trimBoth(is_snapshot) NOT IN ('true', 'false'), '{RejectReasons.Unparseable}', {ParseSql.Unparseable("p_ts", "p_recv", "p_price", "p_amount")}) AS _source_reason, " +
        $"{ParseSql.Raw("_source_reason", "exchange", "symbol", "timestamp", "local_timestamp", "is_snapshot", "side", "price", "amount")} AS _raw " +
        $"FROM (SELECT *, rowNumberInAllBlocks() AS _row, {TardisSymbol("s0")} AS symbol, {Micros("timestamp")} AS p_ts, {Micros("local_timestamp")} AS p_recv, " +
        $"{ParseSql.Float("price")} AS p_price, {ParseSql.Float("amount")} AS p_amount FROM {src} AS s0))";

    // One snapshot row of N levels a side becomes a 'snapshot' delta per level present (a run of snapshot rows at one
    // time replaces the book); levels a thin book leaves empty are skipped.
    private static string TardisSnapshot(string src, IReadOnlyList<string> columns)
    {
        var levels = new List<string>();
        foreach (var side in new[] { "asks", "bids" })
        {
            for (var i = 0; columns.Contains($"{side}[{i}].price"); i++)
            {
                var price = Sql.Identifier($"{side}[{i}].price");
                var amount = Sql.Identifier($"{side}[{i}].amount");
                levels.Add($"({Sql.Literal(side == "asks" ? "ask" : "bid")}, trimBoth({price}), trimBoth({amount}))");
            }
        }
        return $"SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(p_recv, ts) AS recv_ts, toInt64(_row) AS seq, level.1 AS side, 'snapshot' AS action, " +
            "ifNull(toFloat64OrNull(level.2), nan) AS price, ifNull(toFloat64OrNull(level.3), nan) AS size, _source_reason, " +
            "if(_source_reason != '', formatRowNoNewline('JSONEachRow', exchange, symbol, timestamp, local_timestamp, level.1, level.2, level.3), '') AS _raw FROM (SELECT *, " +
            $"if(isNull(p_ts) OR isNull(p_recv) OR isNull(toFloat64OrNull(level.2)) OR isNull(toFloat64OrNull(level.3)), '{RejectReasons.Unparseable}', '') AS _source_reason " +
            $"FROM (SELECT *, rowNumberInAllBlocks() AS _row, {TardisSymbol("s0")} AS symbol, {Micros("timestamp")} AS p_ts, {Micros("local_timestamp")} AS p_recv, " +
            $"arrayJoin(arrayFilter(l -> NOT (l.2 = '' AND l.3 = ''), [{string.Join(", ", levels)}])) AS level FROM {src} AS s0))";
    }

    // Binance's diff-depth stream: a snapshot ('snap' rows) then updates that set a level's quantity (0 removes it); the
    // last update id orders them.
    private static string BinanceDepth(string src) =>
        $"SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, ifNull(p_last, 0) AS seq, multiIf(trimBoth(side) = 'b', 'bid', trimBoth(side) = 'a', 'ask', trimBoth(side)) AS side, " +
        "multiIf(trimBoth(update_type) = 'snap', 'snapshot', trimBoth(update_type) = 'set' AND p_qty = 0, 'delete', trimBoth(update_type) = 'set', 'upsert', trimBoth(update_type)) AS action, " +
        "ifNull(p_price, nan) AS price, ifNull(p_qty, nan) AS size, _source_reason, _raw FROM (SELECT *, " +
        $"{ParseSql.Unparseable("p_ts", "p_last", "p_price", "p_qty")} AS _source_reason, {ParseSql.Raw("_source_reason", "symbol", "timestamp", "first_update_id", "last_update_id", "side", "update_type", "price", "qty", "pu")} AS _raw " +
        $"FROM (SELECT *, concat(upper(trimBoth(s0.symbol)), '.BINANCE-FUTURES') AS symbol, {Millis("timestamp")} AS p_ts, {ParseSql.Int("last_update_id")} AS p_last, " +
        $"{ParseSql.Float("price")} AS p_price, {ParseSql.Float("qty")} AS p_qty FROM {src} AS s0))";

    // The aggressor is the seller when the buyer made the market.
    private static string BinanceTrades(string src, string symbol) =>
        $"SELECT {Sql.Literal(symbol)} AS symbol, ifNull(toDateTime64(timestamp, 9, 'UTC'), toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, ifNull(trade_id, -1) AS seq, ifNull(price, nan) AS price, ifNull(quantity, nan) AS size, " +
        "'BINANCE' AS venue, multiIf(buyer_maker = 'True', 'sell', buyer_maker = 'False', 'buy', '') AS conditions, " +
        $"if(isNull(timestamp) OR isNull(trade_id) OR isNull(price) OR isNull(quantity), '{RejectReasons.Unparseable}', '') AS _source_reason, " +
        $"if(_source_reason != '', formatRowNoNewline('JSONEachRow', timestamp, trade_id, price, quantity, buyer_maker), '') AS _raw FROM {src}";

    private static string BinanceQuotes(string src) =>
        // Recorded through CCXT, the symbol is BTC/USDT; Binance's own name, and its trades', is BTCUSDT.
        "SELECT concat(replaceAll(upper(trimBoth(ifNull(symbol, ''))), '/', ''), '.BINANCE') AS symbol, ifNull(toDateTime64(timestamp, 9, 'UTC'), toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, " +
        $"{Seq("timestamp")} AS seq, bid, bid_size, ask, ask_size, 'BINANCE' AS venue, '' AS conditions, " +
        $"if(isNull(timestamp) OR isNull(symbol), '{RejectReasons.Unparseable}', '') AS _source_reason, " +
        $"if(_source_reason != '', formatRowNoNewline('JSONEachRow', timestamp, symbol, ask_size, ask, bid_size, bid), '') AS _raw FROM (SELECT *, rowNumberInAllBlocks() AS _row FROM {src})";

    private static string TrueFx(string src, string symbol) =>
        $"SELECT {Sql.Literal(symbol)} AS symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, toInt64(row_number() OVER (PARTITION BY p_ts ORDER BY _row) - 1) AS seq, " +
        "p_bid AS bid, CAST(NULL AS Nullable(Float64)) AS bid_size, p_ask AS ask, CAST(NULL AS Nullable(Float64)) AS ask_size, 'TRUEFX' AS venue, '' AS conditions, _source_reason, _raw FROM (SELECT *, " +
        $"{ParseSql.Unparseable("p_ts", "p_bid", "p_ask")} AS _source_reason, {ParseSql.Raw("_source_reason", "timestamp", "bid", "ask")} AS _raw " +
        $"FROM (SELECT *, rowNumberInAllBlocks() AS _row, parseDateTime64BestEffortOrNull(trimBoth(timestamp), 9, 'UTC') AS p_ts, {ParseSql.Float("bid")} AS p_bid, {ParseSql.Float("ask")} AS p_ask FROM {src}))";

    private static async Task<IReadOnlyList<string>?> ColumnsAsync(IFlowStore store, string path, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return File.ReadLines(path).FirstOrDefault() is { } header ? CsvLine.Split(header).Select(h => h.Trim()).ToList() : null;
        if (!path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return null;
        return [.. (await ParquetSchemaAsync(store, path, cancellationToken).ConfigureAwait(false)).Select(c => c.Name)];
    }

    private static async Task<IReadOnlyList<(string Name, string Type)>> ParquetSchemaAsync(IFlowStore store, string path, CancellationToken cancellationToken)
    {
        var columns = new List<(string, string)>();
        using var result = await store.QueryArrowAsync($"DESCRIBE TABLE file({Sql.Literal(Path.GetFullPath(path))}, Parquet)", cancellationToken).ConfigureAwait(false);
        foreach (var batch in result.Batches)
        {
            var (names, types) = (ColumnView.For(batch.Column(0), "name"), ColumnView.For(batch.Column(1), "type"));
            for (var i = 0; i < batch.Length; i++) columns.Add((names.GetString(i), types.GetString(i)));
        }
        return columns;
    }

    // CSV is read as text so an unparseable field quarantines its row; Parquet keeps its own types.
    private static async Task<(string Structure, string Format)> StructureAsync(IFlowStore store, string path, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            var parts = (await ParquetSchemaAsync(store, path, cancellationToken).ConfigureAwait(false)).Select(c => $"{Sql.Identifier(c.Name)} {c.Type}");
            return (string.Join(", ", parts), "Parquet");
        }
        var header = CsvLine.Split(File.ReadLines(path).First()).Select(h => h.Trim());
        return (string.Join(", ", header.Select(h => $"{Sql.Identifier(h)} String")), "CSVWithNames");
    }
}
