using System.CommandLine;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow sql "&lt;query&gt;"</c>: run ClickHouse SQL and print the result.</summary>
internal static class SqlCommand
{
    private static readonly Dictionary<string, string> Formats = new(QueryOutput.TextFormats) { ["arrow"] = "ArrowStream" };

    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "ClickHouse SQL, e.g. \"SELECT symbol, count() FROM trades GROUP BY symbol\"" };
        var format = new Option<string>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. Formats.Keys]);
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output (required for arrow on a terminal)" };
        var command = new Command("sql", "Run a SQL query against the store (table, CSV, JSON or Arrow IPC output)") { query, format, output };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var chosen = parse.GetValue(format)!;
            var path = parse.GetValue(output);
            if (chosen == "arrow" && path is null && !Console.IsOutputRedirected)
                throw new ArgumentException("arrow output is binary: redirect standard output or pass --output <file>");
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var bytes = await store.QueryFormattedAsync(parse.GetValue(query)!, Formats[chosen], ct);
            if (path is not null)
            {
                await File.WriteAllBytesAsync(path, bytes, ct);
                Console.Error.WriteLine($"flow: wrote {bytes.Length:N0} bytes to {path}");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, ct);
            }
            return 0;
        }));
        return command;
    }
}
