using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// LOBSTER's NASDAQ files, a pair per ticker and day: <c>TICKER_DATE_START_END_message_N.csv</c> (time in seconds
/// after midnight New York, event type, order id, size, price × 10 000, direction) and <c>…_orderbook_N.csv</c> (the
/// N-level book after each message: ask price, ask size, bid price, bid size per level). The orderbook file becomes
/// <c>book_deltas</c> — the first row a snapshot, then each event's changed levels, so the stored book is LOBSTER's
/// N-level book at every event (a level that falls below depth N is deleted, one that rises into it upserted with its
/// size); the message file gives each event its time, and its executions (visible 4, hidden 5, cross 6) become
/// <c>trades</c> with the aggressor's side. The instrument is <c>TICKER.NASDAQ</c>.
/// </summary>
public static partial class LobsterImporter
{
    [GeneratedRegex(@"^(?<ticker>[A-Za-z.]+)_(?<date>\d{4}-\d{2}-\d{2})_(?<start>\d+)_(?<end>\d+)_(?<kind>message|orderbook)_(?<levels>\d+)\.csv$")]
    private static partial Regex FileName();

    /// <summary>True for a LOBSTER message or orderbook file (by its name, as LOBSTER delivers it).</summary>
    public static bool Accepts(string path) => File.Exists(path) && FileName().IsMatch(Path.GetFileName(path));

    /// <summary>True for an orderbook file whose message file lies beside it: the pair is imported once, from the message file.</summary>
    public static bool IsImportedWithItsMessageFile(string path) =>
        Accepts(path) && FileName().Match(Path.GetFileName(path)).Groups["kind"].Value == "orderbook" && File.Exists(Sibling(path, "message"));

    private static string Sibling(string path, string kind)
    {
        var m = FileName().Match(Path.GetFileName(path));
        var name = $"{m.Groups["ticker"].Value}_{m.Groups["date"].Value}_{m.Groups["start"].Value}_{m.Groups["end"].Value}_{kind}_{m.Groups["levels"].Value}.csv";
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, name);
    }

    /// <summary>Imports the pair <paramref name="path"/> belongs to: the book into book_deltas, the executions into trades.</summary>
    /// <exception cref="ArgumentException">The other file of the pair is missing.</exception>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, CancellationToken cancellationToken = default)
    {
        var m = FileName().Match(Path.GetFileName(path));
        var message = Sibling(path, "message");
        var orderbook = Sibling(path, "orderbook");
        foreach (var file in new[] { message, orderbook })
            if (!File.Exists(file)) throw new ArgumentException($"{Path.GetFileName(path)}: a LOBSTER file loads with its pair; {Path.GetFileName(file)} is not beside it");
        var levels = int.Parse(m.Groups["levels"].Value, CultureInfo.InvariantCulture);
        var symbol = $"{m.Groups["ticker"].Value.ToUpperInvariant()}.NASDAQ";
        var midnight = NewYorkMidnightNanos(DateOnly.ParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        await InstrumentRegistry.EnsureAsync(store, [Instrument.Defaults(symbol, AssetClass.Equity) with { Venue = "NASDAQ" }], cancellationToken).ConfigureAwait(false);

        var messageSha = FileIngestSource.HashFile(message);
        var bookSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{FileIngestSource.HashFile(orderbook)}\n{messageSha}")));
        var pipeline = new IngestPipeline(store);
        var book = await pipeline.IngestAsync(MarketDataTable.BookDeltas, new FileIngestSource($"lobster:orderbook:{Path.GetFileName(orderbook)}", orderbook, "LineAsString", "line String",
            src => Book(src, Events(LineFile(message), midnight), symbol, levels), bookSha, Ordered), cancellationToken).ConfigureAwait(false);
        var trades = await pipeline.IngestAsync(MarketDataTable.Trades, new FileIngestSource($"lobster:message:{Path.GetFileName(message)}", message, "LineAsString", "line String",
            src => Trades(src, midnight, symbol), messageSha, Ordered), cancellationToken).ConfigureAwait(false);
        return [book, trades];
    }

    // Row numbers are event numbers: the file is read by one thread, in order.
    private const string Ordered = "input_format_parallel_parsing = 0, max_threads = 1";

    private static long NewYorkMidnightNanos(DateOnly date)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds() * 1_000_000L;
    }

    private static string LineFile(string path) => $"file({Sql.Literal(Path.GetFullPath(path))}, LineAsString, 'line String')";

    // The message file's rows: event number k, its time (null when the line does not parse) and fields.
    private static string Events(string relation, long midnight) =>
        $"(SELECT toInt64(rowNumberInAllBlocks()) AS k, line AS m_line, splitByChar(',', line) AS m, " +
        $"if(length(m) = 6 AND isNotNull(toDecimal128OrNull(m[1], 9)) AND arrayAll(x -> isNotNull(toInt64OrNull(x)), arraySlice(m, 2)), " +
        $"fromUnixTimestamp64Nano({midnight.ToString(CultureInfo.InvariantCulture)} + toInt64(toDecimal128OrNull(m[1], 9) * 1000000000), 'UTC'), NULL) AS m_ts " +
        $"FROM {relation})";

    private static string Book(string src, string events, string symbol, int levels)
    {
        var n = levels.ToString(CultureInfo.InvariantCulture);
        // Each good row's levels (a bad row is parsed to zeros, then dropped here and quarantined below); LOBSTER pads a thin book with ±9999999999 and size 0.
        var rows = $"(SELECT toInt64(rowNumberInAllBlocks()) AS k, line, splitByChar(',', line) AS f, length(f) = 4 * {n} AND arrayAll(x -> isNotNull(toInt64OrNull(x)), f) AS ok FROM {src})";
        var level = $"(SELECT k, l.1 AS side, l.2 AS price_i, l.3 AS size FROM {rows} ARRAY JOIN arrayFilter(l -> l.3 > 0 AND abs(l.2) < 9999999999, " +
            $"arrayFlatten(arrayMap(i -> [('ask', toInt64OrZero(f[4 * i + 1]), toInt64OrZero(f[4 * i + 2])), ('bid', toInt64OrZero(f[4 * i + 3]), toInt64OrZero(f[4 * i + 4]))], range({n})))) AS l WHERE ok)";
        // After a row that does not parse, or at the start, the book is sent whole as a snapshot.
        var changes = $"(SELECT k, side, price_i, c.size AS size, k = 0 OR k IN (SELECT k + 1 FROM {rows} WHERE NOT ok) AS whole FROM {level} AS c " +
            $"FULL OUTER JOIN (SELECT k + 1 AS k, side, price_i, size FROM {level}) AS p USING (k, side, price_i) " +
            $"WHERE k < (SELECT count() FROM {rows}) AND k NOT IN (SELECT k FROM {rows} WHERE NOT ok) AND (c.size != p.size OR (whole AND c.size > 0)))";
        var good = $"SELECT {Sql.Literal(symbol)} AS symbol, ifNull(e.m_ts, toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, x.k AS seq, x.side AS side, " +
            "multiIf(x.whole, 'snapshot', x.size = 0, 'delete', 'upsert') AS action, x.price_i / 10000 AS price, toFloat64(x.size) AS size, " +
            $"if(isNull(e.m_ts), '{RejectReasons.Unparseable}', '') AS _source_reason, if(isNull(e.m_ts), formatRowNoNewline('JSONEachRow', ifNull(e.m_line, '')), '') AS _raw " +
            $"FROM {changes} AS x LEFT JOIN {events} AS e ON e.k = x.k";
        var bad = $"SELECT {Sql.Literal(symbol)} AS symbol, toDateTime64(0, 9, 'UTC') AS ts, ts AS recv_ts, k AS seq, 'bid' AS side, 'upsert' AS action, nan AS price, nan AS size, " +
            $"'{RejectReasons.Unparseable}' AS _source_reason, formatRowNoNewline('JSONEachRow', line) AS _raw FROM {rows} WHERE NOT ok";
        return $"SELECT * FROM ({good}) UNION ALL SELECT * FROM ({bad})";
    }

    // Executions; the direction is the resting order's side, so a sell order executed is a buy by the aggressor.
    private static string Trades(string src, long midnight, string symbol) =>
        $"SELECT {Sql.Literal(symbol)} AS symbol, ifNull(m_ts, toDateTime64(0, 9, 'UTC')) AS ts, ts AS recv_ts, k AS seq, ifNull(toInt64OrNull(m[5]), 0) / 10000 AS price, " +
        "toFloat64(ifNull(toInt64OrNull(m[4]), 0)) AS size, 'NASDAQ' AS venue, " +
        "concat(multiIf(m[6] = '-1', 'buy', m[6] = '1', 'sell', ''), multiIf(m[2] = '5', ',hidden', m[2] = '6', ',cross', '')) AS conditions, " +
        $"if(isNull(m_ts), '{RejectReasons.Unparseable}', '') AS _source_reason, if(isNull(m_ts), formatRowNoNewline('JSONEachRow', m_line), '') AS _raw " +
        $"FROM {Events(src, midnight)} WHERE isNull(m_ts) OR m[2] IN ('4', '5', '6')";
}
