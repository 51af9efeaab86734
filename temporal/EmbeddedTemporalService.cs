using System.Net;
using CroweLogic.Flow.Temporal.HttpApi;
using CroweLogic.Flow.Temporal.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.AspNetCore.Server.Model;
using Temporalio.Client;

namespace CroweLogic.Flow.Temporal;

/// <summary>Options for <see cref="EmbeddedTemporalService"/>.</summary>
/// <param name="TimeSkipping">When nothing is runnable, jump the clock to the next timer (workflow sleeps finish at once; tests).</param>
/// <param name="Port">gRPC port (0: any free port; <c>flow up</c> uses 7233).</param>
/// <param name="DataDirectory">Journal everything under <c>&lt;DataDirectory&gt;/temporal/</c> and recover it on start; null keeps it in memory.</param>
/// <param name="Bind">Address to listen on (loopback unless told otherwise).</param>
/// <param name="Retention">How long closed runs are kept (default 7 days).</param>
/// <param name="HttpPort">Serve Temporal's HTTP API (<c>/api/v1/…</c>) and the Web UI on this port (0: any free port; null: not at all).</param>
/// <param name="UiDirectory">The built Temporal Web UI (index.html and its assets) to serve beside the HTTP API.</param>
/// <param name="Signals">Checks signal inputs against the workflows' declarations before they are accepted.</param>
public sealed record EmbeddedTemporalOptions(bool TimeSkipping = false, int Port = 0, string? DataDirectory = null, string Bind = "127.0.0.1", TimeSpan? Retention = null,
    int? HttpPort = null, string? UiDirectory = null, ISignalValidator? Signals = null);

/// <summary>
/// An embedded implementation of Temporal's WorkflowService gRPC API that the real Temporal .NET SDK client and worker
/// talk to. With a data directory it is durable: executions, histories, task queues, timers, activity attempts and
/// visibility are journaled in SQLite and recovered on start (running workflows continue from their last recorded
/// event after a kill -9); without one it keeps everything in memory, for tests. It implements the server semantics
/// the platform's workflows use — activities with retries, heartbeats, timeouts and cancellation; timers (optionally
/// time-skipped); signals, signal-with-start and queries; child workflows with parent-close policies; continue-as-new;
/// cancellation and termination; markers (patching), memo and search attributes; workflow ID reuse and conflict
/// policies; describe and list with simple filters.
/// </summary>
public sealed class EmbeddedTemporalService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TemporalEngine _engine;
    private readonly TemporalJournal? _journal;

    private EmbeddedTemporalService(WebApplication app, TemporalEngine engine, TemporalJournal? journal, string target, Uri? http, TemporalClient client)
    {
        _app = app;
        _engine = engine;
        _journal = journal;
        Target = target;
        HttpAddress = http;
        Client = client;
    }

    /// <summary>Where the HTTP API and the Web UI are served, when they are.</summary>
    public Uri? HttpAddress { get; }

    /// <summary>host:port to point clients and workers at.</summary>
    public string Target { get; }

    /// <summary>A client connected to the service's "default" namespace.</summary>
    public TemporalClient Client { get; }

    /// <summary>Whether workflows survive a restart (a journal is open).</summary>
    public bool Durable => _journal is not null;

    /// <summary>The journal file, when durable.</summary>
    public string? JournalPath => _journal?.Path;

    /// <summary>How far time skipping has moved the service's clock ahead of the wall clock.</summary>
    public TimeSpan SkippedTime => _engine.Clock.Skipped;

    /// <summary>Starts the service (recovering its journal when durable) and connects a client.</summary>
    /// <exception cref="TemporalJournalException">The journal is held by another service, damaged, or of another schema.</exception>
    public static async Task<EmbeddedTemporalService> StartAsync(EmbeddedTemporalOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new EmbeddedTemporalOptions();
        var journal = options.DataDirectory is { } dir ? TemporalJournal.Open(dir) : null;
        TemporalEngine? engine = null;
        WebApplication? app = null;
        try
        {
            engine = new TemporalEngine(options.TimeSkipping, journal, options.Retention) { Signals = options.Signals };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            var address = IPAddress.Parse(options.Bind);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(address, options.Port, l => l.Protocols = HttpProtocols.Http2);
                // One client connection carries every result long poll and the worker's polls: Kestrel's default of 100
                // concurrent streams would starve the worker as soon as 100 workflows await their results.
                k.Limits.Http2.MaxStreamsPerConnection = 10_000;
                if (options.HttpPort is { } httpPort) k.Listen(address, httpPort, l => l.Protocols = HttpProtocols.Http1AndHttp2);
            });
            builder.Services.AddGrpc(g => g.MaxReceiveMessageSize = 64 * 1024 * 1024);
            builder.Services.AddSingleton(engine);
            builder.Services.AddSingleton<WorkflowServiceEndpoint>();
            builder.Services.AddSingleton<IServiceMethodProvider<WorkflowServiceEndpoint>, ServiceBinding<WorkflowServiceEndpoint>>();
            builder.Services.AddSingleton<OperatorServiceEndpoint>();
            builder.Services.AddSingleton<IServiceMethodProvider<OperatorServiceEndpoint>, ServiceBinding<OperatorServiceEndpoint>>();
            app = builder.Build();
            app.MapGrpcService<WorkflowServiceEndpoint>();
            app.MapGrpcService<OperatorServiceEndpoint>();
            if (options.HttpPort is not null) WebUi.Map(app, options.UiDirectory);
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new IOException($"the embedded Temporal service could not listen on {options.Bind}:{options.Port} ({e.Message})", e);
            }
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
            var target = addresses[0].Authority;
            var http = options.HttpPort is null ? null : new Uri($"http://{addresses[1].Authority}/");
            if (journal is null)
                loggerFactory?.CreateLogger<EmbeddedTemporalService>().LogWarning(
                    "Embedded Temporal service on {Target} without a data directory: NOT durable (workflows are lost when the process exits)", target);
            var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(target) { Namespace = "default" }).ConfigureAwait(false);
            return new EmbeddedTemporalService(app, engine, journal, target, http, client);
        }
        catch
        {
            if (app is not null) await app.DisposeAsync().ConfigureAwait(false);
            if (engine is not null) await engine.DisposeAsync().ConfigureAwait(false);
            if (journal is not null) await journal.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private int _disposed;

    /// <summary>Stops the service (once); with a journal, everything accepted is on disk before the file closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _engine.DisposeAsync().ConfigureAwait(false);
        if (_journal is not null) await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
