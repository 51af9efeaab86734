namespace CroweLogic.Flow.Storage.Quality;

/// <summary>
/// Per instrument and day: what arrived, what was quarantined, and what is missing. For tick and minute tables,
/// the share of session minutes with at least one event and the longest silence; for daily bars, the trading days
/// (days any instrument has a bar) inside an instrument's history that lack its bar.
/// </summary>
public static class MissingnessReport
{
    /// <summary>The report's SQL for a market-data table (run it with any output format).</summary>
    public static string Sql(string table) => table switch
    {
        "trades" or "quotes" or "bars_1m" or "book_deltas" => IntradaySql(table),
        "bars_1d" => DailySql,
        _ => throw new ArgumentException($"no missingness report for '{table}'; expected trades, quotes, bars_1m, bars_1d or book_deltas"),
    };

    private static string IntradaySql(string table) =>
        $"""
        WITH events AS
        (
            SELECT symbol, toDate(ts) AS day, count() AS rows, uniqExact(toStartOfMinute(ts)) AS active_minutes,
                   min(ts) AS first_ts, max(ts) AS last_ts,
                   max(dateDiff('second', prev_ts, ts)) AS longest_gap_s
            FROM
            (
                SELECT symbol, ts, lagInFrame(ts, 1, ts) OVER (PARTITION BY symbol, toDate(ts) ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_ts
                FROM {table}
            )
            GROUP BY symbol, day
        ),
        quarantined AS
        (
            SELECT symbol, toDate(assumeNotNull(ts)) AS day, count() AS rejected
            FROM rejects WHERE table_name = '{table}' AND ts IS NOT NULL GROUP BY symbol, day
        )
        SELECT e.symbol AS symbol, e.day AS day, e.rows AS rows, ifNull(q.rejected, 0) AS rejected,
               round(e.active_minutes / greatest(1, (i.session_end_s - i.session_start_s) / 60), 4) AS minute_coverage,
               e.longest_gap_s AS longest_gap_s, e.first_ts AS first_ts, e.last_ts AS last_ts
        FROM events AS e
        LEFT JOIN quarantined AS q ON q.symbol = e.symbol AND q.day = e.day
        LEFT JOIN (SELECT symbol, session_start_s, session_end_s FROM instruments FINAL) AS i ON i.symbol = e.symbol
        ORDER BY symbol, day
        """;

    private const string DailySql =
        """
        WITH days AS (SELECT DISTINCT toDate(ts) AS day FROM bars_1d),
             span AS (SELECT symbol, min(toDate(ts)) AS first_day, max(toDate(ts)) AS last_day, count() AS bars FROM bars_1d GROUP BY symbol),
             have AS (SELECT DISTINCT symbol, toDate(ts) AS day FROM bars_1d)
        SELECT s.symbol AS symbol, d.day AS missing_day, s.first_day AS first_day, s.last_day AS last_day, s.bars AS bars
        FROM span AS s
        CROSS JOIN days AS d
        LEFT ANTI JOIN have AS h ON h.symbol = s.symbol AND h.day = d.day
        WHERE d.day BETWEEN s.first_day AND s.last_day
        ORDER BY symbol, missing_day
        """;
}
