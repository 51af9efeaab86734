using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Storage.Server;

namespace CroweLogic.Flow.Storage;

/// <summary>Where the store is: a ClickHouse server URL, else an embedded data directory.</summary>
/// <param name="DataDirectory">Embedded data directory; null for the default.</param>
/// <param name="ClickHouseUrl">Server URL or connection string; null for embedded.</param>
public sealed record StoreOptions(string? DataDirectory = null, string? ClickHouseUrl = null);

/// <summary>Opens the configured store and brings its schema up to date.</summary>
public static class FlowStores
{
    /// <summary>Environment variable for the embedded data directory.</summary>
    public const string DataDirVariable = "FLOW_DATA_DIR";

    /// <summary>The data directory: FLOW_DATA_DIR, else $XDG_DATA_HOME/crowelogic-flow, else ~/.local/share/crowelogic-flow.</summary>
    public static string DefaultDataDirectory =>
        Environment.GetEnvironmentVariable(DataDirVariable) is { Length: > 0 } dir ? dir
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"), "crowelogic-flow");

    /// <summary>Opens the store (server when a URL is given or CLICKHOUSE_URL is set) and applies pending migrations.</summary>
    public static async Task<IFlowStore> OpenAsync(StoreOptions options, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var url = options.ClickHouseUrl ?? Environment.GetEnvironmentVariable(ClickHouseServerStore.UrlVariable);
        IFlowStore store = url is { Length: > 0 }
            ? await ClickHouseServerStore.ConnectAsync(url, cancellationToken).ConfigureAwait(false)
            : EmbeddedClickHouseStore.Open(options.DataDirectory ?? DefaultDataDirectory, allowInstall: true, progress);
        try
        {
            await SchemaMigrator.MigrateAsync(store, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
