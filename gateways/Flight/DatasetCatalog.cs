using System.Globalization;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// The store's tables as Flight datasets, and the SQL that answers a read request: dataset requests become a
/// projection and filter on the table's key columns; SQL requests run wrapped as a read-only subquery within the budget.
/// </summary>
public sealed class DatasetCatalog(IFlowStore store, FlightBudget budget)
{
    // Staging tables of in-flight ingests and the migrator's bookkeeping are not data.
    private const string Hidden = "name NOT LIKE 'flow\\_%' AND name != 'schema_migrations' AND NOT is_temporary";

    /// <summary>Every dataset, by name.</summary>
    public Task<IReadOnlyList<DatasetInfo>> ListAsync(CancellationToken cancellationToken = default) => LoadAsync(null, cancellationToken);

    /// <summary>One dataset (its metadata only: one table's rows of the system tables).</summary>
    /// <exception cref="FlightNotFoundException">No such dataset.</exception>
    public async Task<DatasetInfo> DescribeAsync(string name, CancellationToken cancellationToken = default)
    {
        if ((await LoadAsync(name, cancellationToken).ConfigureAwait(false)).SingleOrDefault() is { } info) return info;
        var all = await ListAsync(cancellationToken).ConfigureAwait(false);
        throw new FlightNotFoundException($"no dataset '{name}'; available: {string.Join(", ", all.Select(d => d.Name))}");
    }

    private async Task<IReadOnlyList<DatasetInfo>> LoadAsync(string? only, CancellationToken cancellationToken)
    {
        var tables = $"database = currentDatabase() AND {Hidden}" + (only is null ? "" : $" AND name = {Sql.Literal(only)}");
        var columns = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        using (var result = await store.QueryArrowAsync(
            $"SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN (SELECT name FROM system.tables WHERE {tables}) ORDER BY table, position",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in Rows(result))
            {
                if (!columns.TryGetValue(row[0], out var list)) columns[row[0]] = list = [];
                list.Add((row[1], row[2]));
            }
        }
        var datasets = new List<DatasetInfo>();
        using (var result = await store.QueryArrowAsync(
            $"SELECT name, engine, toString(ifNull(total_rows, -1)), toString(ifNull(total_bytes, -1)) FROM system.tables WHERE {tables} ORDER BY name",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in Rows(result))
            {
                var cols = columns.GetValueOrDefault(row[0]) ?? [];
                var symbol = cols.Select(c => c.Item1).FirstOrDefault(c => c is "symbol" or "instrument");
                var time = cols.FirstOrDefault(c => c.Item1 == "ts" && c.Item2.Contains("DateTime", StringComparison.Ordinal)).Item1;
                datasets.Add(new DatasetInfo(row[0], row[1], long.Parse(row[2], CultureInfo.InvariantCulture), long.Parse(row[3], CultureInfo.InvariantCulture), cols, symbol, time));
            }
        }
        return datasets;
    }

    /// <summary>Resolves <paramref name="request"/> to the statement that answers it (and, for a dataset, the table).</summary>
    /// <exception cref="FlightRequestException">The request does not fit the dataset (unknown column, no symbol column…).</exception>
    /// <exception cref="FlightNotFoundException">No such dataset.</exception>
    public async Task<ResolvedRead> ResolveAsync(FlightReadRequest request, CancellationToken cancellationToken = default) => request switch
    {
        SqlRequest sql => Guarded(sql.Sql),
        DatasetRequest dataset => Resolve(dataset, await DescribeAsync(dataset.Dataset, cancellationToken).ConfigureAwait(false)),
        _ => throw new FlightRequestException($"unsupported request {request.GetType().Name}"),
    };

    /// <summary>Resolves a dataset request against metadata already at hand.</summary>
    /// <exception cref="FlightRequestException">The request does not fit the dataset.</exception>
    public static ResolvedRead Resolve(DatasetRequest request, DatasetInfo info)
    {
        var sql = DatasetSql(request, info);
        return new ResolvedRead(sql, $"SELECT * FROM ({sql}) LIMIT 0", info);
    }

    /// <summary>The result schema of a resolved read, without reading its rows.</summary>
    public async Task<Schema> SchemaAsync(ResolvedRead read, CancellationToken cancellationToken = default)
    {
        // The engine plans the statement and returns only its header; a limit of zero still type-checks the whole query.
        await using var stream = await store.StreamArrowAsync(read.HeaderSql, cancellationToken).ConfigureAwait(false);
        return stream.Schema;
    }

    /// <summary>Exact statistics of one dataset.</summary>
    public async Task<DatasetStats> StatsAsync(string name, CancellationToken cancellationToken = default)
    {
        var info = await DescribeAsync(name, cancellationToken).ConfigureAwait(false);
        var table = Sql.Identifier(info.Name);
        var symbols = info.SymbolColumn is null ? "''" : $"toString(uniqExact({Sql.Identifier(info.SymbolColumn)}))";
        var times = info.TimeColumn is null ? "'', ''" : $"if(count() = 0, '', toString(min({Sql.Identifier(info.TimeColumn)}))), if(count() = 0, '', toString(max({Sql.Identifier(info.TimeColumn)})))";
        using var result = await store.QueryArrowAsync(
            $"SELECT toString(count()), {symbols}, {times}, " +
            $"(SELECT toString(sum(bytes_on_disk)) FROM system.parts WHERE database = currentDatabase() AND table = {Sql.Literal(info.Name)} AND active), " +
            $"(SELECT toString(count()) FROM system.parts WHERE database = currentDatabase() AND table = {Sql.Literal(info.Name)} AND active), " +
            $"(SELECT toString(uniqExact(partition)) FROM system.parts WHERE database = currentDatabase() AND table = {Sql.Literal(info.Name)} AND active) FROM {table}",
            cancellationToken).ConfigureAwait(false);
        var row = Rows(result).Single();
        return new DatasetStats(info.Name, long.Parse(row[0], CultureInfo.InvariantCulture), long.Parse(row[4], CultureInfo.InvariantCulture),
            long.Parse(row[5], CultureInfo.InvariantCulture), long.Parse(row[6], CultureInfo.InvariantCulture), row[1].Length == 0 ? null : long.Parse(row[1], CultureInfo.InvariantCulture),
            row[2].Length == 0 ? null : row[2], row[3].Length == 0 ? null : row[3]);
    }

    private static string DatasetSql(DatasetRequest request, DatasetInfo info)
    {
        var known = info.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var column in request.Columns ?? [])
        {
            if (!known.Contains(column))
                throw new FlightRequestException($"dataset '{info.Name}' has no column '{column}'; columns: {string.Join(", ", info.Columns.Select(c => c.Name))}");
        }
        var projection = request.Columns is { } cols ? string.Join(", ", cols.Select(Sql.Identifier)) : "*";
        var where = new List<string>();
        if (request.Symbols is { } symbols)
        {
            var column = info.SymbolColumn ?? throw new FlightRequestException($"dataset '{info.Name}' has no symbol or instrument column to filter by symbols");
            where.Add($"{Sql.Identifier(column)} IN ({string.Join(", ", symbols.Select(Sql.Literal))})");
        }
        if (request.From is not null || request.To is not null)
        {
            var column = Sql.Identifier(info.TimeColumn ?? throw new FlightRequestException($"dataset '{info.Name}' has no ts column to filter by time"));
            if (request.From is { } from) where.Add($"{column} >= {Sql.Nanos(Nanos(from))}");
            if (request.To is { } to) where.Add($"{column} < {Sql.Nanos(Nanos(to))}");
        }
        var sql = $"SELECT {projection} FROM {Sql.Identifier(info.Name)}";
        if (where.Count > 0) sql += " WHERE " + string.Join(" AND ", where);
        if (request.Limit is { } limit) sql += $" LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
        // Reads come in granule-sized blocks (~16 Ki rows of trades); larger blocks halve the per-message cost on the wire.
        return sql + " SETTINGS max_block_size = 262144, preferred_block_size_bytes = 16777216";
    }

    private static long Nanos(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>
    /// Wraps one user statement (see <see cref="SqlTicketGuard"/>) as a subquery: anything but a SELECT fails to parse,
    /// and <c>readonly = 1</c> also refuses table functions that reach files, URLs, other servers or programs.
    /// </summary>
    private ResolvedRead Guarded(string sql)
    {
        var body = SqlTicketGuard.SingleStatement(sql);
        var settings = $" SETTINGS readonly = 1, max_result_rows = {budget.MaxRows.ToString(CultureInfo.InvariantCulture)}, " +
            $"max_result_bytes = {budget.MaxBytes.ToString(CultureInfo.InvariantCulture)}, result_overflow_mode = 'throw', " +
            $"max_execution_time = {budget.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}";
        return new ResolvedRead($"SELECT * FROM ({body}\n){settings}", $"SELECT * FROM ({body}\n) LIMIT 0{settings}", null);
    }

    private static IEnumerable<string[]> Rows(ArrowQueryResult result)
    {
        foreach (var batch in result.Batches)
        {
            var views = Enumerable.Range(0, batch.ColumnCount).Select(i => ColumnView.For(batch.Column(i), batch.Schema.FieldsList[i].Name)).ToArray();
            for (var row = 0; row < batch.Length; row++) yield return views.Select(v => v.GetString(row)).ToArray();
        }
    }
}
