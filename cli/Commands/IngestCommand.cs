using System.CommandLine;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Ingest;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow ingest &lt;paths…&gt;</c>: validated, idempotent loading of market data files.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or directories: LEAN tick zips, the S&P 500 daily_adjusted.tar.xz, or CSV/Parquet with contract columns", Arity = ArgumentArity.OneOrMore };
        var table = new Option<string?>("--table", "-t") { Description = "Target table for CSV/Parquet files (default: inferred from the header or file name)" };
        table.AcceptOnlyFromAmong([.. MarketDataTable.All.Select(t => t.Name)]);
        var command = new Command("ingest", "Load market data: validate, quarantine bad rows with a reason, skip duplicates") { paths, table };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var target = parse.GetValue(table) is { } name ? MarketDataTable.Named(name) : null;
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var all = new List<IngestReport>();
            foreach (var path in parse.GetValue(paths)!)
            {
                all.AddRange(await ImportProgressView.RunAsync($"ingest {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}",
                    progress => Importers.ImportAsync(store, path, target, progress, ct)));
            }
            IngestReportView.Print(all);
            return 0;
        }));
        return command;
    }
}
