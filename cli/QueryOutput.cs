using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Cli;

/// <summary>Prints a query result in one of the CLI's text formats.</summary>
internal static class QueryOutput
{
    public static readonly IReadOnlyDictionary<string, string> TextFormats = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["table"] = "PrettyCompactMonoBlock",
        ["csv"] = "CSVWithNames",
        ["json"] = "JSONEachRow",
        ["tsv"] = "TabSeparated",
    };

    public static async Task PrintAsync(IFlowStore store, string sql, string format, CancellationToken cancellationToken)
    {
        var bytes = await store.QueryFormattedAsync(sql, TextFormats[format], cancellationToken).ConfigureAwait(false);
        await using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
