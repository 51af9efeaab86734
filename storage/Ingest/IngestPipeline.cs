using System.Diagnostics;
using System.Globalization;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Calendars;
using CroweLogic.Flow.Storage.Calendars;

namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>
/// Validated, idempotent ingest into a market-data table, entirely in SQL so both backends behave alike:
/// stage the batch with a reject reason per row (schema checks, value checks, instrument session),
/// quarantine rejected rows with their reason, store valid rows not already stored (by the table key),
/// and record the batch's checksum and row accounting in <c>ingest_batches</c>.
/// </summary>
public sealed class IngestPipeline(IFlowStore store)
{
    /// <summary>
    /// True when a batch with this checksum was already ingested into the table and loading it again could change
    /// nothing (lets importers skip work): none of its rows was refused for reference data (an unknown instrument, a
    /// session or calendar), or the instruments and calendars are as they were then.
    /// </summary>
    public async Task<bool> IsLoadedAsync(MarketDataTable table, string checksum, CancellationToken cancellationToken = default) =>
        await AlreadyLoadedAsync(table, checksum, await ReferenceHashAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Ingests one source into one table.</summary>
    public async Task<IngestReport> IngestAsync(MarketDataTable table, IngestSource source, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var batchId = Guid.NewGuid();
        var reference = await ReferenceHashAsync(cancellationToken).ConfigureAwait(false);

        if (source.KnownChecksum is { } known && await AlreadyLoadedAsync(table, known, reference, cancellationToken).ConfigureAwait(false))
            return IngestReport.Skipped(table.Name, source.Name, known, clock.Elapsed);

        var staging = $"flow_staging_{batchId:N}";
        var columns = table.Schema.FieldsList.Select(f => f.Name).ToArray();
        var colList = string.Join(", ", columns.Select(Sql.Identifier));
        // Staging takes the target's column types (LowCardinality, codecs aside), so conversions happen once, in the
        // parallel staging pass, and the final insert is a plain copy.
        await store.ExecuteAsync(
            $"CREATE TABLE {staging} ENGINE = Memory AS SELECT {colList}, toLowCardinality('') AS _reason, CAST([], 'Array(LowCardinality(String))') AS _reasons, '' AS _raw FROM {table.Name} WHERE 0",
            cancellationToken).ConfigureAwait(false);
        try
        {
            var reasonsSql = await ReasonsExpressionAsync(table, cancellationToken).ConfigureAwait(false);
            await source.LoadAsync(store, staging, relation =>
                $"SELECT {string.Join(", ", columns.Select(c => "s." + Sql.Identifier(c)))}, (({reasonsSql}) AS _all)[1] AS _reason, _all AS _reasons, s._raw AS _raw " +
                $"FROM {relation} AS s LEFT JOIN (SELECT symbol, session_tz, session_start_s, session_end_s, trades_weekends, calendar FROM instruments FINAL) AS i ON s.symbol = i.symbol " +
                CalendarJoin(table),
                cancellationToken).ConfigureAwait(false);

            var key = string.Join(", ", table.Key.Select(Sql.Identifier));
            var stats = await StagedStatsAsync(staging, colList, key, cancellationToken).ConfigureAwait(false);
            var checksum = source.KnownChecksum ?? "cityhash64sum:" + stats.ContentHash;
            if (source.KnownChecksum is null && await AlreadyLoadedAsync(table, checksum, reference, cancellationToken).ConfigureAwait(false))
                return IngestReport.Skipped(table.Name, source.Name, checksum, clock.Elapsed);

            var batchLiteral = $"toUUID('{batchId}')";
            if (stats.Rejected > 0)
            {
                await store.ExecuteAsync(
                    $"INSERT INTO rejects (table_name, batch_id, source, reason, reasons, symbol, ts, row) " +
                    $"SELECT {Sql.Literal(table.Name)}, {batchLiteral}, {Sql.Literal(source.Name)}, _reason, _reasons, symbol, ts, if(_raw != '', _raw, formatRowNoNewline('JSONEachRow', {colList})) " +
                    $"FROM {staging} WHERE _reason != ''", cancellationToken).ConfigureAwait(false);
            }

            long accepted = 0;
            if (stats.Valid > 0)
            {
                // The overlap check and the insert must not interleave with another batch for the same table.
                using var tableLock = await TableLock.AcquireAsync(store, table.Name, cancellationToken).ConfigureAwait(false);
                // Stored rows that could collide: same symbols, inside the batch's time range (a primary-key range scan).
                var stored = $"FROM {table.Name} WHERE ts BETWEEN {Sql.Nanos(stats.MinTs)} AND {Sql.Nanos(stats.MaxTs)} AND symbol IN (SELECT DISTINCT symbol FROM {staging})";
                bool overlap;
                using (var existing = await store.QueryArrowAsync($"SELECT count() {stored}", cancellationToken).ConfigureAwait(false))
                    overlap = existing.Scalar<long>() > 0;
                var notStored = overlap ? $" AND ({key}) NOT IN (SELECT {key} {stored})" : "";
                // LIMIT BY costs 3x the insert, so it runs only when the batch may repeat a key: the check counts
                // distinct key hashes over all staged rows (a collision, or a rejected row sharing a key, merely takes
                // the exact path).
                var withinBatch = stats.MayRepeatKeys ? $" LIMIT 1 BY {key}" : "";
                var written = await store.ExecuteAsync(
                    $"INSERT INTO {table.Name} ({colList}, batch_id) SELECT {colList}, {batchLiteral} FROM {staging} WHERE _reason = ''{notStored}{withinBatch}",
                    cancellationToken).ConfigureAwait(false);
                accepted = (long)written.RowsWritten;
            }

            var report = new IngestReport(batchId, table.Name, source.Name, checksum, stats.RowsIn, accepted, stats.Rejected,
                stats.Valid - accepted, stats.ByReason, false, clock.Elapsed);
            await RecordBatchAsync(report, stats, startedAt, reference, cancellationToken).ConfigureAwait(false);
            return report with { Elapsed = clock.Elapsed };
        }
        finally
        {
            await store.ExecuteAsync($"DROP TABLE IF EXISTS {staging}", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> AlreadyLoadedAsync(MarketDataTable table, string checksum, string reference, CancellationToken cancellationToken)
    {
        using var result = await store.QueryArrowAsync(
            $"SELECT count() FROM ingest_batches WHERE table_name = {Sql.Literal(table.Name)} AND checksum = {Sql.Literal(checksum)} " +
            $"AND (reference_rejects = 0 OR reference_hash = {Sql.Literal(reference)})", cancellationToken).ConfigureAwait(false);
        return result.Scalar<long>() > 0;
    }

    // What the reference checks read: each instrument's calendar and hours, and the shipped calendars' version.
    private async Task<string> ReferenceHashAsync(CancellationToken cancellationToken)
    {
        using var result = await store.QueryArrowAsync(
            "SELECT lower(hex(sum(cityHash64(symbol, calendar, session_tz, session_start_s, session_end_s, trades_weekends)))) FROM instruments FINAL", cancellationToken).ConfigureAwait(false);
        return $"{result.Scalar<string>()}/{TradingCalendars.Version}";
    }

    private sealed record StagedStats(long RowsIn, long Rejected, long MinTs, long MaxTs, string ContentHash, bool MayRepeatKeys, IReadOnlyDictionary<string, long> ByReason)
    {
        public long Valid => RowsIn - Rejected;
    }

    private async Task<StagedStats> StagedStatsAsync(string staging, string colList, string key, CancellationToken cancellationToken)
    {
        long rowsIn, minTs, maxTs;
        string hash;
        bool mayRepeat;
        using (var totals = await store.QueryArrowAsync(
            $"SELECT count() AS n, toInt64(ifNull(toUnixTimestamp64Nano(minIf(ts, _reason = '')), 0)) AS lo, toInt64(ifNull(toUnixTimestamp64Nano(maxIf(ts, _reason = '')), 0)) AS hi, " +
            $"lower(hex(sum(cityHash64({colList})))) AS h, count() - uniqExact(cityHash64({key})) AS repeats FROM {staging}", cancellationToken).ConfigureAwait(false))
        {
            var b = totals.Batches[0];
            rowsIn = ColumnView.For(b.Column(0), "n").GetInt64(0);
            minTs = ColumnView.For(b.Column(1), "lo").GetInt64(0);
            maxTs = ColumnView.For(b.Column(2), "hi").GetInt64(0);
            hash = ColumnView.For(b.Column(3), "h").GetString(0);
            mayRepeat = ColumnView.For(b.Column(4), "repeats").GetInt64(0) > 0;
        }

        var byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using (var reasons = await store.QueryArrowAsync($"SELECT toString(_reason), count() FROM {staging} WHERE _reason != '' GROUP BY _reason", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in reasons.Batches)
            {
                var reason = ColumnView.For(batch.Column(0), "reason");
                var count = ColumnView.For(batch.Column(1), "count");
                for (var i = 0; i < batch.Length; i++) byReason[reason.GetString(i)] = count.GetInt64(i);
            }
        }
        return new StagedStats(rowsIn, byReason.Values.Sum(), minTs, maxTs, hash, mayRepeat, byReason);
    }

    private Task RecordBatchAsync(IngestReport report, StagedStats stats, DateTimeOffset startedAt, string reference, CancellationToken cancellationToken)
    {
        string N(long v) => v.ToString(CultureInfo.InvariantCulture);
        var minTs = stats.Valid > 0 ? Sql.Nanos(stats.MinTs) : "NULL";
        var maxTs = stats.Valid > 0 ? Sql.Nanos(stats.MaxTs) : "NULL";
        var referenceRejects = stats.ByReason.Where(r => RejectReasons.DependOnReferenceData.Contains(r.Key)).Sum(r => r.Value);
        return store.ExecuteAsync(
            "INSERT INTO ingest_batches (batch_id, table_name, source, checksum, rows_in, accepted, rejected, duplicates, min_ts, max_ts, started_at, finished_at, reference_hash, reference_rejects) " +
            $"SELECT toUUID('{report.BatchId}'), {Sql.Literal(report.Table)}, {Sql.Literal(report.Source)}, {Sql.Literal(report.Checksum)}, " +
            $"{N(report.RowsIn)}, {N(report.Accepted)}, {N(report.Rejected)}, {N(report.Duplicates)}, {minTs}, {maxTs}, " +
            $"{Sql.Nanos(Contracts.Time.Nanos.FromDateTimeOffset(startedAt))}, now64(9), {Sql.Literal(reference)}, {N(referenceRejects)}", cancellationToken);
    }

    /// <summary>
    /// The session row an event falls in or after (alias c): for intraday rows the latest session or holiday of the
    /// instrument's calendar opening at or before the event, for daily rows the latest on or before its date.
    /// </summary>
    private static string CalendarJoin(MarketDataTable table) => table.Session switch
    {
        SessionRule.Daily => $"ASOF LEFT JOIN (SELECT calendar, date, kind, close_ts FROM {CalendarSessionStore.Table}) AS c ON c.calendar = i.calendar AND toDate(s.ts) >= c.date",
        // The latest session opening before the bar ends: the bar overlaps it unless it closed before the bar began.
        SessionRule.Span => $"ASOF LEFT JOIN (SELECT calendar, kind, open_ts, close_ts FROM {CalendarSessionStore.Table}) AS c ON c.calendar = i.calendar AND (s.ts + toIntervalSecond(s.period_s)) > c.open_ts",
        _ => $"ASOF LEFT JOIN (SELECT calendar, kind, open_ts, close_ts FROM {CalendarSessionStore.Table}) AS c ON c.calendar = i.calendar AND s.ts >= c.open_ts",
    };

    /// <summary>
    /// The array of every check a staged row fails (alias s, instrument alias i, calendar session alias c), empty when
    /// it passes; the first is the row's reason. Value checks are skipped on a row the source could not parse (its
    /// fallbacks would fail them falsely), and the calendar check on a row with no instrument or an impossible time.
    /// A <c>custom</c> instrument's own weekly hours need constant time zones in ClickHouse, so that check is expanded
    /// over the zones such instruments use.
    /// </summary>
    private async Task<string> ReasonsExpressionAsync(MarketDataTable table, CancellationToken cancellationToken)
    {
        var zones = new List<string>();
        using (var result = await store.QueryArrowAsync($"SELECT DISTINCT toString(session_tz) FROM instruments FINAL WHERE calendar = {Sql.Literal(TradingCalendars.Custom)} ORDER BY 1", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var view = ColumnView.For(batch.Column(0), "tz");
                for (var i = 0; i < batch.Length; i++) zones.Add(view.GetString(i));
            }
        }

        // Local wall-clock seconds since the epoch: UTC seconds plus the zone's offset at that instant.
        var offset = zones.Count == 0 ? "0"
            : "multiIf(" + string.Join(", ", zones.Select(z => $"i.session_tz = {Sql.Literal(z)}, timeZoneOffset(toTimeZone(s.ts, {Sql.Literal(z)}))")) + ", 0)";
        var local = $"(toUnixTimestamp(s.ts) + {offset})";
        var weekday = table.Session == SessionRule.Daily ? "toDayOfWeek(s.ts)" : $"toDayOfWeek(toDateTime({local}, 'UTC'))";
        var tradingDay = $"(i.trades_weekends OR {weekday} <= 5)";
        var inCustomSession = table.Session == SessionRule.Daily
            ? tradingDay
            : $"({tradingDay} AND ({local} % 86400) >= i.session_start_s AND ({local} % 86400) < i.session_end_s)";
        var outOfRange = "(s.ts < toDateTime64('1970-01-02 00:00:00', 9, 'UTC') OR s.ts > now64(9) + INTERVAL 1 DAY)";

        // The calendar's verdict, at most one reason.
        var calendar = new List<string>
        {
            "i.calendar = ''", Sql.Literal(RejectReasons.NoCalendar),
            $"i.calendar = {Sql.Literal(TradingCalendars.Custom)}", $"if(NOT {inCustomSession}, {Sql.Literal(RejectReasons.OutsideSession)}, '')",
            "ifNull(c.calendar, '') = '' OR c.kind = 'end'", Sql.Literal(RejectReasons.OutsideCalendar),
        };
        calendar.AddRange(table.Session switch
        {
            SessionRule.Daily => ["c.date != toDate(s.ts)", Sql.Literal(RejectReasons.OutsideSession), "c.kind = 'holiday'", Sql.Literal(RejectReasons.MarketHoliday)],
            SessionRule.Span => ["c.close_ts <= s.ts", Sql.Literal(RejectReasons.OutsideSession), "c.kind = 'holiday'", Sql.Literal(RejectReasons.MarketHoliday)],
            _ => ["s.ts >= c.close_ts", Sql.Literal(RejectReasons.OutsideSession), "c.kind = 'holiday'", Sql.Literal(RejectReasons.MarketHoliday)],
        });

        var checks = new List<string>
        {
            "toString(s._source_reason)",
            $"if(i.symbol = '', {Sql.Literal(RejectReasons.UnknownInstrument)}, '')",
        };
        checks.AddRange(table.Checks.Select(c => $"if(s._source_reason = '' AND ifNull({c.Condition}, 0), {Sql.Literal(c.Reason)}, '')"));
        checks.Add($"if({outOfRange}, {Sql.Literal(RejectReasons.TimestampOutOfRange)}, '')");
        checks.Add($"if(i.symbol = '' OR {outOfRange}, '', multiIf({string.Join(", ", calendar)}, ''))");
        return $"arrayFilter(r -> r != '', [{string.Join(", ", checks)}])";
    }
}
