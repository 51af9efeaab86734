using System.CommandLine;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow ingest &lt;paths…&gt;</c>: validated, idempotent loading of market data files.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or directories: LEAN zips, the S&P 500 daily_adjusted.tar.xz, Tardis/Binance/TrueFX CSV or Parquet, Bybit _ob500.data.zip, or CSV/Parquet with contract columns", Arity = ArgumentArity.OneOrMore };
        var table = new Option<string?>("--table", "-t") { Description = "Target table for CSV/Parquet files (default: inferred from the header or file name)" };
        table.AcceptOnlyFromAmong([.. MarketDataTable.All.Select(t => t.Name)]);
        var register = new Option<bool>("--register-instruments") { Description = "Register the symbols of CSV/Parquet files the store does not know, with the defaults of --asset-class (and say which)" };
        var assetClass = new Option<string>("--asset-class") { Description = "Defaults for --register-instruments: equity, etf (XNAS calendar, USD), crypto (24/7), forex (FX) or future (CME_GLOBEX)", DefaultValueFactory = _ => "equity" };
        assetClass.AcceptOnlyFromAmong("equity", "etf", "crypto", "forex", "future");
        var symbol = new Option<string?>("--symbol", "-s") { Description = "The instrument of CSV files without a symbol column (one file per instrument, e.g. a vendor's bar download)" };
        var command = new Command("ingest", "Load market data: validate, quarantine bad rows with a reason, skip duplicates") { paths, table, symbol, register, assetClass };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var options = new ImportOptions(parse.GetValue(table) is { } name ? MarketDataTable.Named(name) : null, parse.GetValue(symbol) is { Length: > 0 } s ? s.Trim() : null);
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var all = new List<IngestReport>();
            var failures = new List<ImportFailure>();
            foreach (var path in parse.GetValue(paths)!)
            {
                if (parse.GetValue(register)) await RegisterAsync(store, path, Enum.Parse<AssetClass>(parse.GetValue(assetClass)!, ignoreCase: true), options.Symbol, ct);
                all.AddRange(await ImportProgressView.RunAsync($"ingest {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}",
                    progress => Importers.ImportAsync(store, path, options, progress, failures, ct)));
            }
            IngestReportView.Print(all);
            // The rest of a folder is loaded; the files that were not are named with the reason, and the exit says so.
            foreach (var failure in failures) Console.Error.WriteLine($"flow: not imported: {failure.Path}\n  {failure.Error}");
            if (failures.Count > 0) Console.Error.WriteLine($"flow: {failures.Count} file{(failures.Count == 1 ? " was" : "s were")} not imported; the others were");
            return failures.Count > 0 ? 1 : 0;
        }));
        return command;
    }

    // The LEAN and S&P importers register their own instruments; contract files name theirs only in their rows.
    // Vendor files register theirs as SYMBOL.VENUE; a file without a symbol column is left to the import to report.
    private static async Task RegisterAsync(IFlowStore store, string path, AssetClass assetClass, string? symbol, CancellationToken ct)
    {
        if (SnP500DailyImporter.Accepts(path) || LeanTickImporter.Accepts(path)) return;
        var files = File.Exists(path) ? [path] : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(ContractFileImporter.Accepts).Order(StringComparer.Ordinal).ToArray() : [];
        foreach (var file in files.Where(ContractFileImporter.Accepts))
        {
            if (symbol is null && await VendorFileImporter.RecognizeAsync(store, file, ct) is not null) continue;
            if (symbol is null && !ContractFileImporter.HasSymbolColumn(file)) continue;
            var added = await ContractFileImporter.RegisterInstrumentsAsync(store, file, assetClass, symbol, ct);
            if (added.Count > 0)
                Console.Error.WriteLine($"flow: registered {added.Count} instrument{(added.Count == 1 ? "" : "s")} from {Path.GetFileName(file)} with {assetClass.ToString().ToLowerInvariant()} defaults: {string.Join(", ", added.Take(20))}{(added.Count > 20 ? ", …" : "")} (see flow sql \"SELECT * FROM instruments\")");
        }
    }
}
