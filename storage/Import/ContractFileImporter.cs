using Apache.Arrow.Types;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads CSV (with a header) or Parquet files whose columns are a market-data contract's (trades, quotes, bars,
/// book deltas) through the validated pipeline. CSV fields are read as text and parsed in SQL so an unparseable
/// field quarantines its row; times may be integer nanoseconds or ISO-8601. ClickHouse reads Parquet natively.
/// A CSV may leave out the columns a user's own data rarely has: <c>recv_ts</c> is then the event time, <c>seq</c> the
/// row's position in the file, <c>venue</c> and <c>conditions</c> empty, a bar's <c>trade_count</c> 0 (unknown) — so
/// <c>symbol,ts,price,size</c> is a trades file. Header names are matched without case, and the names vendors commonly use
/// stand for contract columns (<c>timestamp</c>/<c>time</c>/<c>datetime</c>/<c>date</c> for <c>ts</c>, <c>qty</c>/<c>quantity</c>/<c>amount</c>
/// for <c>size</c>, <c>vol</c> for <c>volume</c>); a file of one instrument without a symbol column is named by <see cref="ImportOptions.Symbol"/>.
/// </summary>
public static class ContractFileImporter
{
    // Required columns a CSV may omit, and what stands in for them.
    private static readonly HashSet<string> Defaulted = new(StringComparer.Ordinal) { "recv_ts", "seq", "venue", "conditions", "trade_count" };

    // The period of each bars table, in seconds, for telling them apart by the bars' spacing.
    private static readonly Dictionary<MarketDataTable, long> BarPeriods = new()
    {
        [MarketDataTable.Bars1s] = 1,
        [MarketDataTable.Bars1m] = 60,
        [MarketDataTable.Bars1d] = 86_400,
    };

    // Header names vendors use for contract columns, tried in order when the contract's own name is absent.
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        ["ts"] = ["timestamp", "time", "datetime", "date"],
        ["size"] = ["qty", "quantity", "amount"],
        ["volume"] = ["vol"],
    };

    /// <summary>True for a .csv or .parquet file.</summary>
    public static bool Accepts(string path) =>
        File.Exists(path) && (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Registers the file's symbols the store does not know, with the defaults of <paramref name="assetClass"/>
    /// (<see cref="Instrument.Defaults"/>), so their rows pass the unknown-instrument check; returns the symbols
    /// registered. Existing definitions are kept as they are.
    /// </summary>
    /// <param name="store">The store whose instruments table gains them.</param>
    /// <param name="path">A CSV or Parquet file.</param>
    /// <param name="assetClass">Whose defaults (calendar, currency, tick size) the new instruments get.</param>
    /// <param name="symbol">The file's one instrument when it has no symbol column (<see cref="ImportOptions.Symbol"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">The asset class has no defaults here, or the file has no symbol column and none is given.</exception>
    public static async Task<IReadOnlyList<string>> RegisterInstrumentsAsync(IFlowStore store, string path, AssetClass assetClass, string? symbol = null, CancellationToken cancellationToken = default)
    {
        Instrument.Defaults("", assetClass); // refuses a class without defaults before the file is read
        if (symbol is not null)
            return await InstrumentRegistry.EnsureAsync(store, [Instrument.Defaults(symbol, assetClass)], cancellationToken).ConfigureAwait(false) > 0 ? [symbol] : [];
        var parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        if (!HasSymbolColumn(path))
            throw new ArgumentException($"{Path.GetFileName(path)} has no symbol column to register instruments from; name its instrument with --symbol");
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

    /// <summary>True unless <paramref name="path"/> is a CSV whose header has no symbol column (Parquet is assumed to have one).</summary>
    public static bool HasSymbolColumn(string path) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ||
        CsvLine.Split(File.ReadLines(path).FirstOrDefault() ?? "").Select(h => h.Trim()).Contains("symbol", StringComparer.OrdinalIgnoreCase);

    /// <summary>Imports one file into the table <paramref name="options"/> name, or the one its columns identify.</summary>
    /// <exception cref="ArgumentException">The table cannot be told, required columns are missing, or the symbol is given twice.</exception>
    public static async Task<IngestReport> ImportAsync(IFlowStore store, string path, ImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= ImportOptions.Inferred;
        var parquet = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        var sha = FileIngestSource.HashFile(path);
        if (parquet)
        {
            if (options.Symbol is not null) throw new ArgumentException($"{Path.GetFileName(path)}: --symbol names the instrument of a CSV without a symbol column; a Parquet file must carry its own");
            var table = options.Table ?? ByFileName(path);
            return await new IngestPipeline(store).IngestAsync(table, new FileIngestSource($"file:{Path.GetFileName(path)}", path, "Parquet", ClickHouseTypes.Structure(table.Schema),
                src => $"SELECT *, '' AS _source_reason, '' AS _raw FROM {src}", sha), cancellationToken).ConfigureAwait(false);
        }
        var header = CsvLine.Split(File.ReadLines(path).FirstOrDefault() ?? "").Select(h => h.Trim()).ToList();
        if (options.Symbol is not null && HasSymbolColumn(path))
            throw new ArgumentException($"{Path.GetFileName(path)} has its own symbol column; --symbol is for files of one instrument without one");
        var target = options.Table ?? await ByColumnsAsync(store, header, path, options.Symbol is not null, cancellationToken).ConfigureAwait(false);
        var columns = Columns(target, header);
        var missing = Required(target).Where(f => !columns.ContainsKey(f) && !(f == "symbol" && options.Symbol is not null)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"the file lacks required {target.Name} columns: {string.Join(", ", missing)}" +
            (missing.Contains("symbol") ? " (name a one-instrument file's symbol with --symbol)" : ""));
        // The same file under another symbol is other data, not a repeat load.
        if (options.Symbol is not null) sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{sha}\nsymbol={options.Symbol}")));
        var source = new FileIngestSource($"file:{Path.GetFileName(path)}", path, "CSVWithNames", string.Join(", ", header.Select(h => $"{Sql.Identifier(h)} String")),
            src => CsvMapping(target, header, columns, options.Symbol, src), sha, "input_format_csv_allow_variable_number_of_columns = 1");
        return await new IngestPipeline(store).IngestAsync(target, source, cancellationToken).ConfigureAwait(false);
    }

    private static MarketDataTable ByFileName(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
        return MarketDataTable.All.OrderByDescending(t => t.Name.Length).FirstOrDefault(t => name.Contains(t.Name, StringComparison.Ordinal))
            ?? throw new ArgumentException($"cannot tell which table {Path.GetFileName(path)} belongs to; pass --table ({string.Join(", ", MarketDataTable.All.Select(t => t.Name))})");
    }

    // Bars of several periods share columns: their spacing tells which (a vendor's bar download is one period per file).
    private static async Task<MarketDataTable> ByColumnsAsync(IFlowStore store, IReadOnlyList<string> header, string path, bool symbolGiven, CancellationToken cancellationToken)
    {
        try
        {
            return ByColumns(header, path, symbolGiven);
        }
        catch (AmbiguousTableException ambiguous) when (ambiguous.Candidates.All(BarPeriods.ContainsKey))
        {
            var spacing = await MedianSpacingSecondsAsync(store, header, path, cancellationToken).ConfigureAwait(false);
            return ambiguous.Candidates.FirstOrDefault(t => BarPeriods[t] == spacing)
                ?? throw new ArgumentException($"{ambiguous.Message}: its bars are {(spacing is null ? "unevenly spaced" : $"{spacing} s apart")}, which is no table's period");
        }
    }

    // The median gap between a symbol's consecutive bars among the file's first rows, in whole seconds.
    private static async Task<long?> MedianSpacingSecondsAsync(IFlowStore store, IReadOnlyList<string> header, string path, CancellationToken cancellationToken)
    {
        var columns = Columns(MarketDataTable.Bars1m, header);
        var symbol = columns.TryGetValue("symbol", out var s) ? $"toString({Sql.Identifier(s)})" : "''";
        var file = $"file({Sql.Literal(Path.GetFullPath(path))}, CSVWithNames, {Sql.Literal(string.Join(", ", header.Select(h => $"{Sql.Identifier(h)} String")))})";
        var sql = $"SELECT toInt64(median(gap)) FROM (SELECT dateDiff('second', lagInFrame(t) OVER (PARTITION BY sym ORDER BY n ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), t) AS gap, " +
            $"row_number() OVER (PARTITION BY sym ORDER BY n) AS k FROM (SELECT rowNumberInAllBlocks() AS n, {symbol} AS sym, {ParseSql.Time(Sql.Identifier(columns["ts"]))} AS t FROM {file} LIMIT 10000) WHERE t IS NOT NULL) " +
            "WHERE k > 1 AND gap > 0 SETTINGS input_format_csv_allow_variable_number_of_columns = 1";
        using var result = await store.QueryArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        var batch = result.Batches.FirstOrDefault(b => b.Length > 0);
        if (batch is null) return null;
        var view = Contracts.Arrow.ColumnView.For(batch.Column(0), "gap");
        return view.IsNull(0) ? null : view.GetInt64(0);
    }

    private static MarketDataTable ByColumns(IReadOnlyList<string> header, string path, bool symbolGiven)
    {
        var candidates = MarketDataTable.All.Where(t => Columns(t, header) is var c && Required(t).All(f => c.ContainsKey(f) || (f == "symbol" && symbolGiven))).ToList();
        // Prefer tables whose schema explains every header column (a trades header also holds quotes' required columns).
        var exact = candidates.Where(t => Columns(t, header).Values.ToHashSet(StringComparer.Ordinal) is var used && header.All(used.Contains)).ToList();
        if (exact.Count > 0) candidates = exact;
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw new ArgumentException($"{Path.GetFileName(path)}: its header ({string.Join(",", header)}) has the required columns of no table; " +
                $"trades need {string.Join(",", Required(MarketDataTable.Trades))}, bars {string.Join(",", Required(MarketDataTable.Bars1m))}" +
                (symbolGiven ? "" : " (a file of one instrument without a symbol column: pass --symbol)")),
            _ => throw new AmbiguousTableException($"{Path.GetFileName(path)} fits several tables ({string.Join(", ", candidates.Select(c => c.Name))}); pass --table", candidates),
        };
    }

    /// <summary>The header column that holds each contract column the file has: its own name (any case), else a vendor alias.</summary>
    private static Dictionary<string, string> Columns(MarketDataTable table, IReadOnlyList<string> header)
    {
        string? Find(string name) => header.FirstOrDefault(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in table.Schema.FieldsList)
        {
            var column = Find(field.Name) ?? (Aliases.TryGetValue(field.Name, out var alternatives) ? alternatives.Select(Find).FirstOrDefault(h => h is not null) : null);
            if (column is not null) map[field.Name] = column;
        }
        return map;
    }

    private static string CsvMapping(MarketDataTable table, IReadOnlyList<string> header, IReadOnlyDictionary<string, string> columns, string? symbol, string src)
    {
        var parsed = new List<string>();
        var outer = new List<string>();
        var checks = new List<string>();
        foreach (var field in table.Schema.FieldsList)
        {
            var name = Sql.Identifier(field.Name);
            var p = Sql.Identifier("p_" + field.Name);
            if (!columns.TryGetValue(field.Name, out var column))
            {
                outer.Add(field.IsNullable ? $"CAST(NULL AS {ClickHouseTypes.Of(field)}) AS {name}" : field.Name switch
                {
                    "recv_ts" => $"ifNull({Sql.Identifier("p_ts")}, toDateTime64(0, 9, 'UTC')) AS {name}",
                    "seq" => $"toInt64(_row) AS {name}",
                    "trade_count" => $"toInt64(0) AS {name}",
                    "symbol" when symbol is not null => $"{Sql.Literal(symbol)} AS {name}",
                    _ => $"'' AS {name}",
                });
                continue;
            }
            var col = Sql.Identifier(column);
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
                outer.Add($"{p} AS {name}");
            }
            else
            {
                parsed.Add($"{parse} AS {p}");
                checks.Add($"isNull({p})");
                outer.Add($"ifNull({p}, {fallback}) AS {name}");
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

    private sealed class AmbiguousTableException(string message, IReadOnlyList<MarketDataTable> candidates) : ArgumentException(message)
    {
        public IReadOnlyList<MarketDataTable> Candidates { get; } = candidates;
    }
}
