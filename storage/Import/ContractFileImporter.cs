using Apache.Arrow.Types;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads CSV (with a header) or Parquet files whose columns are a market-data contract's (trades, quotes, bars,
/// book deltas) through the validated pipeline. CSV fields are read as text and parsed in SQL so an unparseable
/// field quarantines its row; times may be integer nanoseconds or ISO-8601. ClickHouse reads Parquet natively.
/// A CSV may leave out the columns a user's own data rarely has: <c>recv_ts</c> is then the event time, <c>seq</c> the
/// row's position in the file, <c>venue</c> and <c>conditions</c> empty — so <c>symbol,ts,price,size</c> is a trades file.
/// </summary>
public static class ContractFileImporter
{
    // Required columns a CSV may omit, and what stands in for them.
    private static readonly HashSet<string> Defaulted = new(StringComparer.Ordinal) { "recv_ts", "seq", "venue", "conditions" };

    /// <summary>True for a .csv or .parquet file.</summary>
    public static bool Accepts(string path) =>
        File.Exists(path) && (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Registers the file's symbols the store does not know, with the defaults of <paramref name="assetClass"/>
    /// (<see cref="Instrument.Defaults"/>), so their rows pass the unknown-instrument check; returns the symbols
    /// registered. Existing definitions are kept as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The asset class has no defaults here, or the file has no symbol column.</exception>
    public static async Task<IReadOnlyList<string>> RegisterInstrumentsAsync(IFlowStore store, string path, AssetClass assetClass, CancellationToken cancellationToken = default)
    {
        Instrument.Defaults("", assetClass); // refuses a class without defaults before the file is read
        var parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        if (!parquet && !CsvLine.Split(File.ReadLines(path).FirstOrDefault() ?? "").Select(h => h.Trim()).Contains("symbol"))
            throw new ArgumentException($"{Path.GetFileName(path)} has no symbol column to register instruments from");
        var symbols = new List<string>();
        using (var result = await store.QueryArrowAsync(
            $"SELECT DISTINCT toString(symbol) FROM file({Sql.Literal(Path.GetFullPath(path))}, {(parquet ? "Parquet" : "CSVWithNames")}, 'symbol String') WHERE symbol != '' ORDER BY 1", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var view = Contracts.Arrow.ColumnView.For(batch.Column(0), "symbol");
                for (var i = 0; i < batch.Length; i++) symbols.Add(view.GetString(i).Trim());
            }
        }
        var known = (await EventTables.Instruments.ReadAsync(store, cancellationToken: cancellationToken).ConfigureAwait(false)).Select(i => i.Symbol).ToHashSet(StringComparer.Ordinal);
        var missing = symbols.Where(s => s.Length > 0 && !known.Contains(s)).Distinct(StringComparer.Ordinal).ToList();
        await InstrumentRegistry.EnsureAsync(store, [.. missing.Select(s => Instrument.Defaults(s, assetClass))], cancellationToken).ConfigureAwait(false);
        return missing;
    }

    /// <summary>Imports one file into <paramref name="table"/>, or the table its columns identify.</summary>
    public static async Task<IngestReport> ImportAsync(IFlowStore store, string path, MarketDataTable? table = null, CancellationToken cancellationToken = default)
    {
        var parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        var header = parquet ? null : CsvLine.Split(File.ReadLines(path).FirstOrDefault() ?? "").Select(h => h.Trim()).ToList();
        table ??= parquet ? ByFileName(path) : ByColumns(header!, path);
        var sha = FileIngestSource.HashFile(path);
        var source = parquet
            ? new FileIngestSource($"file:{Path.GetFileName(path)}", path, "Parquet", ClickHouseTypes.Structure(table.Schema),
                src => $"SELECT *, '' AS _source_reason, '' AS _raw FROM {src}", sha)
            : new FileIngestSource($"file:{Path.GetFileName(path)}", path, "CSVWithNames", CsvStructure(table, header!), src => CsvMapping(table, header!, src), sha,
                "input_format_csv_allow_variable_number_of_columns = 1");
        return await new IngestPipeline(store).IngestAsync(table, source, cancellationToken).ConfigureAwait(false);
    }

    private static MarketDataTable ByFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        return MarketDataTable.All.OrderByDescending(t => t.Name.Length).FirstOrDefault(t => name.Contains(t.Name, StringComparison.Ordinal))
            ?? throw new ArgumentException($"cannot tell which table {Path.GetFileName(path)} belongs to; pass --table ({string.Join(", ", MarketDataTable.All.Select(t => t.Name))})");
    }

    private static MarketDataTable ByColumns(IReadOnlyList<string> header, string path)
    {
        var columns = header.ToHashSet(StringComparer.Ordinal);
        var candidates = MarketDataTable.All.Where(t => Required(t).All(columns.Contains)).ToList();
        // Prefer tables whose schema explains every header column (a trades header also holds quotes' required columns).
        var exact = candidates.Where(t => columns.All(c => t.Schema.GetFieldIndex(c) >= 0)).ToList();
        if (exact.Count > 0) candidates = exact;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new ArgumentException($"{Path.GetFileName(path)}: its header ({string.Join(",", header)}) has the required columns of no table; " +
                $"trades need {string.Join(",", Required(MarketDataTable.Trades))}"),
            _ => throw new ArgumentException($"{Path.GetFileName(path)} fits several tables ({string.Join(", ", candidates.Select(c => c.Name))}); pass --table"),
        };
    }

    private static string CsvStructure(MarketDataTable table, IReadOnlyList<string> header)
    {
        var missing = Required(table).Where(f => !header.Contains(f)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"the file lacks required {table.Name} columns: {string.Join(", ", missing)}");
        return string.Join(", ", header.Select(h => $"{Sql.Identifier(h)} String"));
    }

    private static string CsvMapping(MarketDataTable table, IReadOnlyList<string> header, string src)
    {
        var parsed = new List<string>();
        var outer = new List<string>();
        var checks = new List<string>();
        foreach (var field in table.Schema.FieldsList)
        {
            var col = Sql.Identifier(field.Name);
            var p = Sql.Identifier("p_" + field.Name);
            if (!header.Contains(field.Name))
            {
                outer.Add(field.IsNullable ? $"CAST(NULL AS {ClickHouseTypes.Of(field)}) AS {col}" : field.Name switch
                {
                    "recv_ts" => $"ifNull({Sql.Identifier("p_ts")}, toDateTime64(0, 9, 'UTC')) AS {col}",
                    "seq" => $"toInt64(_row) AS {col}",
                    _ => $"'' AS {col}",
                });
                continue;
            }
            var (parse, fallback) = field.DataType switch
            {
                StringType => ($"toString({col})", "''"),
                TimestampType => (ParseSql.Time(col), "toDateTime64(0, 9, 'UTC')"),
                DoubleType => (ParseSql.Float(col), "nan"),
                _ => (ParseSql.Int(col), "0"),
            };
            if (field.IsNullable)
            {
                // An empty optional field is null, not unparseable.
                parsed.Add($"if(trimBoth({col}) = '', NULL, {parse}) AS {p}");
                checks.Add($"(trimBoth({col}) != '' AND isNull({p}))");
                outer.Add($"{p} AS {col}");
            }
            else
            {
                parsed.Add($"{parse} AS {p}");
                checks.Add($"isNull({p})");
                outer.Add($"ifNull({p}, {fallback}) AS {col}");
            }
        }
        var raw = string.Join(", ", header.Select(Sql.Identifier));
        return $"SELECT {string.Join(", ", outer)}, _source_reason, _raw FROM " +
            $"(SELECT *, if({string.Join(" OR ", checks)}, '{RejectReasons.Unparseable}', '') AS _source_reason, " +
            $"if(_source_reason != '', formatRowNoNewline('JSONEachRow', {raw}), '') AS _raw FROM (SELECT *, rowNumberInAllBlocks() AS _row, {string.Join(", ", parsed)} FROM {src}))";
    }

    /// <summary>The columns a CSV for <paramref name="table"/> must have: its non-nullable ones but those with a stand-in.</summary>
    private static IEnumerable<string> Required(MarketDataTable table) =>
        table.Schema.FieldsList.Where(f => !f.IsNullable && !Defaulted.Contains(f.Name)).Select(f => f.Name);
}
