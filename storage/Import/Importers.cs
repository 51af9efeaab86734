using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>Chooses the importer for a path: LEAN equity ticks, forex ticks and crypto bars, the S&amp;P 500 daily set, or contract-shaped CSV/Parquet.</summary>
public static class Importers
{
    /// <summary>Imports a file or directory; returns one report per ingested batch.</summary>
    /// <param name="store">The store loaded.</param>
    /// <param name="path">A file or a folder of files.</param>
    /// <param name="options">What the files do not say themselves (target table, the one instrument of a file).</param>
    /// <param name="progress">Told of each file as it starts.</param>
    /// <param name="failures">
    /// When given, a folder's CSV/Parquet files that cannot be imported (no table fits, columns missing) are recorded here
    /// and the others still loaded; without it the first such file throws.
    /// </param>
    /// <param name="cancellationToken">Cancels the import between batches.</param>
    /// <exception cref="ArgumentException">Nothing here is importable, or the target table cannot be told.</exception>
    public static async Task<IReadOnlyList<IngestReport>> ImportAsync(IFlowStore store, string path, ImportOptions? options = null, IProgress<ImportProgress>? progress = null,
        ICollection<ImportFailure>? failures = null, CancellationToken cancellationToken = default)
    {
        options ??= ImportOptions.Inferred;
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
        if (IsDataFile(path)) return await ImportFileAsync(store, path, options, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsDataFile).Where(f => !LobsterImporter.IsImportedWithItsMessageFile(f)).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new ArgumentException($"{path}: holds no LEAN tick zips, S&P 500 daily files, or .csv/.parquet files");
            var reports = new List<IngestReport>();
            for (var i = 0; i < files.Length; i++)
            {
                progress?.Report(new ImportProgress(Path.GetFileName(files[i]), i, files.Length));
                try
                {
                    reports.AddRange(await ImportFileAsync(store, files[i], options, cancellationToken).ConfigureAwait(false));
                }
                catch (ArgumentException error) when (failures is not null)
                {
                    failures.Add(new ImportFailure(files[i], error.Message));
                }
            }
            return reports;
        }
        throw new ArgumentException($"{path}: not a format flow imports (LEAN .zip, S&P 500 daily_adjusted.tar.xz, Tardis/Binance/TrueFX .csv or .parquet, Bybit _ob500.data.zip, LOBSTER message/orderbook pairs, .csv or .parquet with a contract header)");
    }

    // A vendor's file (Bybit by name; Tardis, Binance, TrueFX by columns), else a contract-shaped CSV/Parquet.
    // A file a folder's import reads: CSV, Parquet, or a vendor's own (Bybit's zipped JSON lines).
    private static bool IsDataFile(string path) => ContractFileImporter.Accepts(path) || BybitOrderBookImporter.Accepts(path);

    private static async Task<IReadOnlyList<IngestReport>> ImportFileAsync(IFlowStore store, string path, ImportOptions options, CancellationToken cancellationToken)
    {
        var named = BybitOrderBookImporter.Accepts(path) ? "a Bybit order-book file" : LobsterImporter.Accepts(path) ? "a LOBSTER file" : null;
        if (named is not null && (options.Symbol is not null || options.Table is not null))
            throw new ArgumentException($"{Path.GetFileName(path)} is {named}: it loads into its own tables under its own symbols; drop --table and --symbol");
        if (BybitOrderBookImporter.Accepts(path)) return [await BybitOrderBookImporter.ImportAsync(store, path, cancellationToken).ConfigureAwait(false)];
        if (LobsterImporter.Accepts(path)) return await LobsterImporter.ImportAsync(store, path, cancellationToken).ConfigureAwait(false);
        if (options.Table is not null || await VendorFileImporter.RecognizeAsync(store, path, cancellationToken).ConfigureAwait(false) is not { } vendor)
            return [await ContractFileImporter.ImportAsync(store, path, options, cancellationToken).ConfigureAwait(false)];
        if (options.Symbol is not null) throw new ArgumentException($"{Path.GetFileName(path)} is a {vendor.Name} file, which names its own instruments; --symbol is for files of one instrument without a symbol column");
        return [await VendorFileImporter.ImportAsync(store, path, vendor, cancellationToken).ConfigureAwait(false)];
    }
}
