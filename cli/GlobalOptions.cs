using System.CommandLine;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = $"Embedded store directory (default: ${FlowStores.DataDirVariable} or ~/.local/share/crowelogic-flow)",
        Recursive = true,
    };

    public static readonly Option<string?> ClickHouseUrl = new("--clickhouse-url")
    {
        Description = "Use a ClickHouse server instead of the embedded engine, e.g. http://default:@localhost:8123/default (default: $CLICKHOUSE_URL)",
        Recursive = true,
    };

    public static readonly Option<string?> Temporal = new("--temporal")
    {
        Description = "Temporal frontend host:port (default: the platform's, from <data-dir>/flow.json while flow up runs; then $TEMPORAL_ADDRESS; flow run alone starts the embedded durable service on the data directory)",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print every SQL statement with its engine time",
        Recursive = true,
    };

    public static readonly Option<string?> SigningKey = new("--signing-key")
    {
        Description = "PEM file of the development signing key (default: <data-dir>/keys/dev-signing.pem, created mode 600 on first use)",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(DataDir);
        root.Options.Add(ClickHouseUrl);
        root.Options.Add(Temporal);
        root.Options.Add(Verbose);
        root.Options.Add(SigningKey);
    }

    /// <summary>The development key file the options name (created on first use).</summary>
    public static Storage.Registry.KeyFileSigner OpenSigner(ParseResult parse)
    {
        var path = parse.GetValue(SigningKey) ?? Path.Combine(parse.GetValue(DataDir) ?? FlowStores.DefaultDataDirectory, "keys", "dev-signing.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return Storage.Registry.KeyFileSigner.Open(path, create: true);
    }

    /// <summary>Finds the Temporal service the options name (see <see cref="Cli.Temporal.TemporalConnection"/>).</summary>
    public static Task<Cli.Temporal.TemporalConnection> ConnectTemporalAsync(ParseResult parse, CancellationToken cancellationToken, bool standalone = false)
    {
        var dataDir = parse.GetValue(DataDir) ?? FlowStores.DefaultDataDirectory;
        Directory.CreateDirectory(dataDir);
        return Cli.Temporal.TemporalConnection.ResolveAsync(parse.GetValue(Temporal), dataDir, standalone, cancellationToken);
    }

    /// <summary>Opens the store the options name, announcing a first-run install of libchdb on stderr.</summary>
    public static async Task<IFlowStore> OpenStoreAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var store = await FlowStores.OpenAsync(new StoreOptions(parse.GetValue(DataDir), parse.GetValue(ClickHouseUrl)),
            line => Console.Error.WriteLine($"flow: {line}"), cancellationToken).ConfigureAwait(false);
        if (parse.GetValue(Verbose) && store is Storage.Embedded.EmbeddedClickHouseStore embedded)
            embedded.StatementLog = (sql, stats) => Console.Error.WriteLine($"[{stats.Elapsed.TotalMilliseconds,8:F1} ms] {OneLine(sql)}");
        return store;
    }

    private static string OneLine(string sql)
    {
        var flat = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        return flat.Length > 240 ? flat[..240] + "…" : flat;
    }
}
