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

    /// <summary>
    /// Opens the store and applies pending migrations: a ClickHouse server when a URL is given or CLICKHOUSE_URL is set;
    /// else the running platform that owns the data directory (<see cref="PlatformFile"/>), as its client over its
    /// ClickHouse HTTP interface; else the embedded engine on the directory.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The platform that owns the directory does not answer.</exception>
    public static async Task<IFlowStore> OpenAsync(StoreOptions options, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var url = options.ClickHouseUrl ?? Environment.GetEnvironmentVariable(ClickHouseServerStore.UrlVariable);
        var dataDirectory = options.DataDirectory ?? DefaultDataDirectory;
        if (url is not { Length: > 0 } && await Platform(dataDirectory, cancellationToken).ConfigureAwait(false) is { } client)
            return client; // the platform brought the schema up to date when it started
        IFlowStore store = url is { Length: > 0 }
            ? await ClickHouseServerStore.ConnectAsync(url, cancellationToken).ConfigureAwait(false)
            : EmbeddedClickHouseStore.Open(dataDirectory, allowInstall: true, progress);
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

    /// <summary>The running platform's store for <paramref name="dataDirectory"/>, or null when no platform owns it.</summary>
    /// <exception cref="StoreUnavailableException">A platform owns it and does not answer.</exception>
    public static async Task<IFlowStore?> Platform(string dataDirectory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(dataDirectory) || PlatformFile.Read(dataDirectory) is not { } platform) return null;
        // A platform killed without cleaning up leaves its file behind; its lock on the directory died with it.
        if (!platform.IsAlive()) return null;
        try
        {
            return await ClickHouseServerStore.ConnectAsync(platform.ClientUrl, cancellationToken, $"flow up (pid {platform.Pid}) at {platform.ClickHouseHttp}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreQueryException or StoreUnavailableException or HttpRequestException)
        {
            // The pid may be another process's by now (a killed platform's number reused): with nobody holding the
            // directory's lock, the file is stale and the directory free.
            if (!EmbeddedClickHouseStore.IsLocked(dataDirectory)) return null;
            throw new StoreUnavailableException($"flow up (pid {platform.Pid}) owns {dataDirectory} but does not answer at {platform.ClickHouseHttp}: {e.Message}", e);
        }
    }
}
