using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Temporal;
using Temporalio.Client;

namespace CroweLogic.Flow.Cli.Temporal;

/// <summary>
/// Finds the Temporal service for a command, in order: <c>--temporal</c>; the platform's (a running <c>flow up</c>
/// on the data directory, through <c>flow.json</c>); <c>TEMPORAL_ADDRESS</c>. Failing those, a command that can run
/// alone (<c>flow run</c>) starts the embedded durable service on the data directory for its own lifetime; the
/// others say how to get one, since a private service in a command that exits would meet no one.
/// </summary>
internal sealed class TemporalConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owned;

    private TemporalConnection(ITemporalClient client, string description, IAsyncDisposable? owned)
    {
        Client = client;
        Description = description;
        _owned = owned;
    }

    public ITemporalClient Client { get; }

    public string Description { get; }

    /// <param name="address">The <c>--temporal</c> option.</param>
    /// <param name="dataDir">The data directory (its <c>flow.json</c>, or the journal of a private service).</param>
    /// <param name="standalone">Whether the command may start the embedded service itself when none is found.</param>
    /// <param name="cancellationToken">Cancels the search attribute registration.</param>
    public static async Task<TemporalConnection> ResolveAsync(string? address, string dataDir, bool standalone, CancellationToken cancellationToken)
    {
        var announced = PlatformFile.Read(dataDir);
        var platform = announced is not null && announced.IsAlive() && announced.Temporal.Length > 0 ? announced : null;
        var (target, description) = address is { Length: > 0 } ? (address, $"Temporal at {address}")
            : platform is not null ? (platform.Temporal, $"Temporal of flow up (pid {platform.Pid}) at {platform.Temporal}")
            : Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS") is { Length: > 0 } env ? (env, $"Temporal at {env} (TEMPORAL_ADDRESS)")
            : (null, null);
        if (target is not null)
        {
            TemporalClient client;
            try
            {
                client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(target) { Namespace = Environment.GetEnvironmentVariable("TEMPORAL_NAMESPACE") ?? "default" }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StoreUnavailableException($"{description} did not answer ({e.Message.Split('\n', 2)[0].Trim()})");
            }
            if (platform is null) await Host.SearchAttributeRegistration.EnsureAsync(client, cancellationToken).ConfigureAwait(false);
            return new TemporalConnection(client, description!, owned: null);
        }
        if (!standalone)
        {
            var gone = announced is not null && platform is null ? $"the flow up recorded in flow.json (pid {announced.Pid}) is gone; " : "";
            throw new StoreUnavailableException($"no Temporal service for {dataDir}: {gone}start the platform there with `flow up` (it serves Temporal on 127.0.0.1:{Host.PlatformOptions.DefaultTemporalPort}), or pass --temporal host:port (or set TEMPORAL_ADDRESS)");
        }
        var service = await EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(DataDirectory: dataDir)).ConfigureAwait(false);
        return new TemporalConnection(service.Client, $"embedded Temporal of this process at {service.Target} (durable: {service.JournalPath})", service);
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }
}
