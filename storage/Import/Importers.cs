using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>Chooses the importer for a path: LEAN equity ticks, forex ticks and crypto bars, the S&amp;P 500 daily set, or contract-shaped CSV/Parquet.</summary>
public static class Importers
{
    /// <summary>Imports a file or directory; returns one report per ingested batch.</summary>
    /// <exception cref="ArgumentException">Nothing here is importable, or the target table cannot be told.</exception>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, MarketDataTable? table = null, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"{path}: no such file or directory");
        if (SnP500DailyImporter.Accepts(path)) return await SnP500DailyImporter.ImportAsync(store, path, progress, cancellationToken).ConfigureAwait(false);
        // LEAN data other than US-equity ticks has other columns and units: refused whole, before anything is loaded, never read as ticks.
        if (LeanTickImporter.Unsupported(path) is { Count: > 0 } unsupported)
            throw new ArgumentException($"{path}: holds LEAN data flow does not ingest yet ({string.Join(", ", unsupported.Select(u => $"{u.Key}: {u.Value} zip{(u.Value == 1 ? "" : "s")}"))}); " +
                "flow ingests LEAN US-equity ticks (equity/usa/tick) and LEAN forex and crypto data (forex/<market>, crypto/<market>: quote ticks, trade and quote bars): point it at one of those folders");
        if (LeanTickImporter.Accepts(path) || LeanCryptoForexImporter.Accepts(path))
        {
            var lean = new List<IngestReport>();
            if (LeanTickImporter.Accepts(path)) lean.AddRange(await LeanTickImporter.ImportAsync(store, path, progress, cancellationToken).ConfigureAwait(false));
            if (LeanCryptoForexImporter.Accepts(path)) lean.AddRange(await LeanCryptoForexImporter.ImportAsync(store, path, progress, cancellationToken).ConfigureAwait(false));
            return lean;
        }
        if (ContractFileImporter.Accepts(path)) return [await ContractFileImporter.ImportAsync(store, path, table, cancellationToken).ConfigureAwait(false)];
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ContractFileImporter.Accepts).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new ArgumentException($"{path}: holds no LEAN tick zips, S&P 500 daily files, or .csv/.parquet files");
            var reports = new List<IngestReport>();
            for (var i = 0; i < files.Length; i++)
            {
                progress?.Report(new ImportProgress(Path.GetFileName(files[i]), i, files.Length));
                reports.Add(await ContractFileImporter.ImportAsync(store, files[i], table, cancellationToken).ConfigureAwait(false));
            }
            return reports;
        }
        throw new ArgumentException($"{path}: not a format flow imports (LEAN tick .zip, S&P 500 daily_adjusted.tar.xz, .csv with a contract header, .parquet)");
    }
}
