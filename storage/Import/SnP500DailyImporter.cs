using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// Loads the S&amp;P 500 daily set (DA-&lt;TICKER&gt;-T-&lt;date&gt;.csv files, or the .tar.xz holding them) into
/// <c>bars_1d</c>, its dividends and splits into <c>corporate_actions</c>, and its constituents into <c>instruments</c>.
/// The files are concatenated into one CSV with the ticker as first column, so one validated batch covers the set.
/// </summary>
public static partial class SnP500DailyImporter
{
    [GeneratedRegex(@"^DA-.+-T-\d{4}-\d{2}-\d{2}\.csv$")]
    private static partial Regex DailyFile();

    // The API-error file has fewer fields than a price row; it must reach the quarantine, not fail the read.
    private const string ReadSettings = "input_format_csv_allow_variable_number_of_columns = 1";

    private const string Structure =
        "symbol String, timestamp String, open String, high String, low String, close String, adjusted_close String, volume String, dividend_amount String, split_coefficient String";

    /// <summary>True for a path this importer reads: the archive, one of its CSVs, or a directory of them.</summary>
    public static bool Accepts(string path) =>
        path.EndsWith("daily_adjusted.tar.xz", StringComparison.Ordinal) || IsDailyCsv(path)
        || (Directory.Exists(path) && Directory.EnumerateFiles(path, "DA-*-T-*.csv").Any());

    // One AlphaVantage daily-adjusted file of the set, extracted: DA-<TICKER>-T-<yyyy-MM-dd>.csv.
    private static bool IsDailyCsv(string path) => File.Exists(path) && DailyFile().IsMatch(Path.GetFileName(path));

    /// <summary>Imports the set; <paramref name="path"/> is the archive, one of its CSVs, or the directory of them.</summary>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var pipeline = new IngestPipeline(store);
        var source = $"sp500-daily:{Path.GetFileName(path)}";
        // The archive (≈130 MB) is hashed once: it is both the skip check and the batch checksum.
        var single = IsDailyCsv(path);
        var archiveSha = File.Exists(path) && !single ? FileIngestSource.HashFile(path) : null;
        if (archiveSha is not null && await pipeline.IsLoadedAsync(MarketDataTable.Bars1d, "sha256:" + archiveSha, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new ImportProgress("already loaded", 3, 3));
            return [IngestReport.Skipped(MarketDataTable.Bars1d.Name, source, "sha256:" + archiveSha, TimeSpan.Zero)];
        }

        var work = Directory.CreateTempSubdirectory("flow-sp500-");
        try
        {
            var directory = path;
            if (File.Exists(path) && !single)
            {
                progress?.Report(new ImportProgress($"extracting {Path.GetFileName(path)}", 0, 3));
                Extract(path, work.FullName);
                directory = Directory.GetDirectories(work.FullName).FirstOrDefault(d => Directory.EnumerateFiles(d, "DA-*.csv").Any()) ?? work.FullName;
            }

            var files = single ? [path] : Directory.GetFiles(directory, "DA-*-T-*.csv").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new FileNotFoundException($"no DA-<TICKER>-T-<date>.csv files under {directory}");
            var combined = Path.Combine(work.FullName, "combined.csv");
            var tickers = Combine(files, combined);

            var constituents = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "constituents.csv");
            var described = File.Exists(constituents) ? ReadConstituents(constituents) : [];
            await InstrumentRegistry.EnsureAsync(store,
                [.. tickers.Select(t => described.TryGetValue(t, out var d) ? Instrument.UsEquity(t, d.Name, d.Sector) : Instrument.UsEquity(t))],
                cancellationToken).ConfigureAwait(false);

            progress?.Report(new ImportProgress($"validating {files.Length} files into bars_1d", 1, 3));
            var sha = archiveSha ?? FileIngestSource.HashFile(combined);
            var report = await pipeline.IngestAsync(MarketDataTable.Bars1d,
                new FileIngestSource(source, combined, "CSV", Structure, BarsMapping, sha, ReadSettings),
                cancellationToken).ConfigureAwait(false);

            if (!report.AlreadyLoaded)
            {
                progress?.Report(new ImportProgress("corporate actions", 2, 3));
                await store.InsertFileAsync("corporate_actions (symbol, ex_date, kind, value, detail, source)", combined, "CSV", Structure, CorporateActionsQuery, cancellationToken).ConfigureAwait(false);
            }
            progress?.Report(new ImportProgress("done", 3, 3));
            return [report];
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Three layers: parse into p_ names, derive the reason and the raw row, then name the contract columns
    // (ClickHouse resolves a name to a same-named alias before a column, so names must not be reused in one layer).
    private static string BarsMapping(string src) =>
        "SELECT symbol, ifNull(p_ts, toDateTime64(0, 9, 'UTC')) AS ts, ifNull(p_open, nan) AS open, ifNull(p_high, nan) AS high, ifNull(p_low, nan) AS low, " +
        "ifNull(p_close, nan) AS close, ifNull(p_volume, nan) AS volume, CAST(NULL AS Nullable(Float64)) AS vwap, toInt64(0) AS trade_count, p_adj AS adj_close, " +
        "_source_reason, _raw FROM " +
        $"(SELECT *, {ParseSql.Unparseable("p_ts", "p_open", "p_high", "p_low", "p_close", "p_volume", "p_adj")} AS _source_reason, " +
        $"{ParseSql.Raw("_source_reason", "symbol", "timestamp", "open", "high", "low", "close", "adjusted_close", "volume")} AS _raw FROM " +
        $"(SELECT *, toDateTime64(toDate32OrNull(trimBoth(timestamp)), 9, 'UTC') AS p_ts, {ParseSql.Float("open")} AS p_open, {ParseSql.Float("high")} AS p_high, " +
        $"{ParseSql.Float("low")} AS p_low, {ParseSql.Float("close")} AS p_close, {ParseSql.Float("volume")} AS p_volume, {ParseSql.Float("adjusted_close")} AS p_adj FROM {src}))";

    private static string CorporateActionsQuery(string src) =>
        "SELECT symbol, ts, k.1, k.2, '', 'sp500-daily' FROM " +
        $"(SELECT symbol, toDateTime64(toDate32OrNull(trimBoth(timestamp)), 9, 'UTC') AS ts, {ParseSql.Float("dividend_amount")} AS dividend, {ParseSql.Float("split_coefficient")} AS split FROM {src}) " +
        "ARRAY JOIN [('cash_dividend', ifNull(dividend, 0)), ('split', ifNull(split, 1))] AS k " +
        "WHERE ts IS NOT NULL AND ((k.1 = 'cash_dividend' AND k.2 > 0) OR (k.1 = 'split' AND k.2 != 1 AND k.2 > 0)) " +
        $"SETTINGS {ReadSettings}";

    private static List<string> Combine(string[] files, string combined)
    {
        var tickers = new List<string>();
        using var output = new StreamWriter(combined, false, new UTF8Encoding(false), 1 << 20);
        foreach (var file in files)
        {
            var match = FileName().Match(Path.GetFileName(file));
            if (!match.Success) continue;
            var ticker = match.Groups[1].Value;
            tickers.Add(ticker);
            using var reader = new StreamReader(file);
            reader.ReadLine(); // header
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0) continue;
                output.Write(ticker);
                output.Write(',');
                // Quote fields that are not plain CSV (the API-error file holds JSON), so each line stays one row.
                if (line.Contains('"') || line.Contains('{') || line.Contains('}')) output.WriteLine("\"" + line.Replace("\"", "\"\"") + "\"");
                else output.WriteLine(line);
            }
        }
        return tickers;
    }

    private static Dictionary<string, (string Name, string Sector)> ReadConstituents(string path)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = CsvLine.Split(line);
            if (f.Count >= 3 && f[0].Length > 0) result[f[0]] = (f[1], f[2]);
        }
        return result;
    }

    private static void Extract(string archive, string destination)
    {
        var psi = new ProcessStartInfo("tar", ["-xJf", archive, "-C", destination]) { RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("tar did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new IOException($"extracting {archive} failed (tar exit {process.ExitCode}): {error.Trim()}. It needs tar and xz-utils.");
    }

    [GeneratedRegex(@"^DA-(.+)-T-\d{4}-\d{2}-\d{2}\.csv$")]
    private static partial Regex FileName();
}
