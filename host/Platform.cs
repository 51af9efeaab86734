using CroweLogic.Flow.Gateways.ClickHouseHttp;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Host.Workers;
using CroweLogic.Flow.Temporal;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Host;

/// <summary>
/// <c>flow up</c>: one process that owns the data directory — the embedded engine and the Temporal journal — and
/// serves it to every client at once: ClickHouse SQL over the ClickHouse HTTP interface (drivers, curl, Grafana,
/// DBeaver, and every other <c>flow</c> command), Arrow Flight, the durable embedded Temporal service with the
/// platform's own workers, and its metrics for Prometheus (and OTLP). It announces itself in
/// <c>&lt;data-dir&gt;/flow.json</c> and removes the file when it stops; a second platform on the same directory is
/// refused, naming the one that runs.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    private readonly EmbeddedClickHouseStore _store;
    private readonly FlightService _flight;
    private readonly ClickHouseHttpEndpoint _http;
    private readonly PlatformMetrics _metrics;
    private readonly EmbeddedTemporalService _temporal;
    private readonly PlatformWorkers? _workers;

    private Platform(EmbeddedClickHouseStore store, FlightService flight, ClickHouseHttpEndpoint http, PlatformMetrics metrics, EmbeddedTemporalService temporal,
        PlatformWorkers? workers, PlatformFile file, FlightAccessList access)
    {
        _store = store;
        _flight = flight;
        _http = http;
        _metrics = metrics;
        _temporal = temporal;
        _workers = workers;
        File = file;
        Access = access;
    }

    /// <summary>The embedded Temporal service.</summary>
    public EmbeddedTemporalService Temporal => _temporal;

    /// <summary>The task queues the platform's workers poll (none without a signer).</summary>
    public IReadOnlyList<string> WorkerQueues => _workers?.Queues ?? [];

    /// <summary>What the platform announced.</summary>
    public PlatformFile File { get; }

    /// <summary>Who may connect.</summary>
    public FlightAccessList Access { get; }

    /// <summary>The store it serves.</summary>
    public EmbeddedClickHouseStore Store => _store;

    /// <summary>Starts the platform on <paramref name="options"/>.</summary>
    /// <exception cref="PlatformRunningException">Another platform runs on the directory.</exception>
    /// <exception cref="StoreLockedException">Another process holds the directory.</exception>
    public static async Task<Platform> StartAsync(PlatformOptions options, Action<string>? progress = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var dir = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dir);
        if (PlatformFile.Read(dir) is { } running && running.IsAlive() && running.Pid != Environment.ProcessId)
            throw new PlatformRunningException($"flow up already runs on {dir}: pid {running.Pid} since {running.Started:u}, ClickHouse HTTP at {running.ClickHouseHttp}, Flight at {running.Flight}");
        var store = EmbeddedClickHouseStore.Open(dir, allowInstall: true, progress);
        FlightService? flight = null;
        ClickHouseHttpEndpoint? http = null;
        PlatformMetrics? metrics = null;
        EmbeddedTemporalService? temporal = null;
        PlatformWorkers? workers = null;
        try
        {
            await SchemaMigrator.MigrateAsync(store, cancellationToken).ConfigureAwait(false);
            temporal = await EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(Port: options.TemporalPort, DataDirectory: dir, Bind: options.Bind.ToString(),
                HttpPort: options.TemporalUiPort, UiDirectory: options.TemporalUiDirectory, Signals: WorkflowSignalValidator.ForFlowWorkflows())).ConfigureAwait(false);
            // The UI offers registered attributes as list columns and filters; the workflows upsert these.
            await SearchAttributeRegistration.EnsureAsync(temporal.Client, cancellationToken).ConfigureAwait(false);
            var (local, token, _) = LocalAccess.Load(dir);
            var access = options.Access ?? local;
            flight = await FlightService.StartAsync(store, new FlightServiceOptions { Address = options.Bind, Port = options.FlightPort, Access = access, Budget = options.Budget }, logging, cancellationToken).ConfigureAwait(false);
            http = await ClickHouseHttpEndpoint.StartAsync(store, new ClickHouseHttpOptions { Address = options.Bind, Port = options.HttpPort, Access = access, Budget = options.Budget }, logging, cancellationToken).ConfigureAwait(false);
            metrics = await PlatformMetrics.StartAsync(options.Bind, options.MetricsPort, options.Otlp, cancellationToken).ConfigureAwait(false);
            if (options.Signer is { } signer)
                workers = PlatformWorkers.Start(temporal.Client, new GovernanceServices(store, signer, $"flow-up@{Environment.MachineName}", FlowWorkers.PlatformLaneQueue(dir)), options.WorkerQueues);
            // Clients use the local principal; with an access file it must be one of its read-write principals to be useful to them.
            var file = new PlatformFile
            {
                Pid = Environment.ProcessId,
                Started = DateTimeOffset.UtcNow,
                DataDirectory = dir,
                ClickHouseHttp = http.Location.ToString(),
                Flight = flight.Location.ToString(),
                Metrics = metrics.Location.ToString(),
                Temporal = temporal.Target,
                TemporalUi = temporal.HttpAddress?.ToString() ?? "",
                User = LocalAccess.User,
                Token = token,
            };
            if (access.Authenticate(file.User, file.Token) is null)
                throw new FlightConfigurationException($"the access file has no read-write principal '{LocalAccess.User}' with the token in {dir}/flight-token; flow commands could not reach the platform");
            file.Write();
            return new Platform(store, flight, http, metrics, temporal, workers, file, access);
        }
        catch
        {
            if (workers is not null) await workers.DisposeAsync().ConfigureAwait(false);
            if (temporal is not null) await temporal.DisposeAsync().ConfigureAwait(false);
            if (metrics is not null) await metrics.DisposeAsync().ConfigureAwait(false);
            if (http is not null) await http.DisposeAsync().ConfigureAwait(false);
            if (flight is not null) await flight.DisposeAsync().ConfigureAwait(false);
            store.Dispose();
            throw;
        }
    }

    /// <summary>Stops serving: the announcement goes first (new clients work alone), then the workers drain, then the services, then the store closes.</summary>
    public async ValueTask DisposeAsync()
    {
        File.Remove();
        if (_workers is not null) await _workers.DisposeAsync().ConfigureAwait(false);
        await _temporal.DisposeAsync().ConfigureAwait(false);
        await _http.DisposeAsync().ConfigureAwait(false);
        await _flight.DisposeAsync().ConfigureAwait(false);
        await _metrics.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
    }
}

/// <summary>A platform already runs on the data directory.</summary>
public sealed class PlatformRunningException(string message) : Exception(message);
