using System.CommandLine;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Storage.Quality;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow quality rejects|missing|batches</c>: data-quality views over the store.</summary>
internal static class QualityCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table", Recursive = true };
        format.AcceptOnlyFromAmong([.. QueryOutput.TextFormats.Keys]);

        var rejects = new Command("rejects", "Quarantined rows by table and first reason, the other checks those rows also failed, and an example of each");
        rejects.SetAction((parse, ct) => Print(parse, format,
            "SELECT table_name, reason, count() AS rows, uniqExact(batch_id) AS batches, arrayStringConcat(arraySort(groupUniqArrayArray(arrayPopFront(reasons))), ', ') AS also_failed, any(row) AS example FROM rejects GROUP BY table_name, reason ORDER BY table_name, rows DESC", ct));

        var table = new Option<string>("--table", "-t") { Description = "Market-data table", DefaultValueFactory = _ => "trades" };
        table.AcceptOnlyFromAmong([.. MarketDataTable.All.Select(t => t.Name)]);
        var missing = new Command("missing", "Missingness per instrument and day: session-minute coverage and longest gap, or missing daily bars") { table };
        missing.SetAction((parse, ct) => Print(parse, format, MissingnessReport.Sql(parse.GetValue(table)!), ct));

        var batches = new Command("batches", "Ingested batches with checksum and row accounting");
        batches.SetAction((parse, ct) => Print(parse, format,
            "SELECT started_at, table_name, source, checksum, rows_in, accepted, rejected, duplicates FROM ingest_batches ORDER BY started_at", ct));

        var command = new Command("quality", "Data-quality reports: quarantine, missingness, ingest batches") { rejects, missing, batches };
        command.Options.Add(format);
        return command;
    }

    private static Task<int> Print(ParseResult parse, Option<string> format, string sql, CancellationToken ct) => CliErrors.Guard(async () =>
    {
        using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
        await QueryOutput.PrintAsync(store, sql, parse.GetValue(format)!, ct);
        return 0;
    });
}
