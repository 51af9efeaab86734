using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.AspNetCore.Server.Model;
using Temporalio.Client;

namespace CroweLogic.Flow.Workflows.InProcessTemporal;

/// <summary>Options for <see cref="InProcessTemporalService"/>.</summary>
/// <param name="TimeSkipping">When nothing is runnable, jump the clock to the next timer (workflow sleeps finish at once).</param>
/// <param name="Port">Loopback port (0: any free port).</param>
public sealed record InProcessTemporalOptions(bool TimeSkipping = false, int Port = 0);

/// <summary>
/// An in-process implementation of Temporal's WorkflowService gRPC API, for tests and offline runs ONLY: it keeps
/// everything in memory (a restart loses every workflow) and implements the subset of server semantics the platform's
/// workflows use — activities with retries, heartbeats, timeouts and cancellation; timers (optionally time-skipped);
/// signals, signal-with-start and queries; child workflows with parent-close policies; continue-as-new; cancellation and
/// termination; markers (patching), memo and search attributes; workflow ID reuse and conflict policies; describe and
/// list with simple filters. The real Temporal .NET SDK client and worker talk to it over loopback gRPC.
/// </summary>
public sealed class InProcessTemporalService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TemporalEngine _engine;

    private InProcessTemporalService(WebApplication app, TemporalEngine engine, string target, TemporalClient client)
    {
        _app = app;
        _engine = engine;
        Target = target;
        Client = client;
    }

    /// <summary>host:port to point clients and workers at.</summary>
    public string Target { get; }

    /// <summary>A client connected to the service's "default" namespace.</summary>
    public TemporalClient Client { get; }

    /// <summary>How far time skipping has moved the service's clock ahead of the wall clock.</summary>
    public TimeSpan SkippedTime => _engine.Clock.Skipped;

    /// <summary>Starts the service on loopback and connects a client.</summary>
    public static async Task<InProcessTemporalService> StartAsync(InProcessTemporalOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new InProcessTemporalOptions();
        var engine = new TemporalEngine(options.TimeSkipping);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, l => l.Protocols = HttpProtocols.Http2);
            // One client connection carries every result long poll and the worker's polls: Kestrel's default of 100
            // concurrent streams would starve the worker as soon as 100 workflows await their results.
            k.Limits.Http2.MaxStreamsPerConnection = 10_000;
        });
        builder.Services.AddGrpc(g => g.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton<WorkflowServiceEndpoint>();
        builder.Services.AddSingleton<IServiceMethodProvider<WorkflowServiceEndpoint>, WorkflowServiceBinding>();
        var app = builder.Build();
        app.MapGrpcService<WorkflowServiceEndpoint>();
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var target = new Uri(address).Authority;
        loggerFactory?.CreateLogger<InProcessTemporalService>().LogWarning(
            "In-process Temporal service on {Target}: for tests and offline runs only, NOT durable (workflows are lost when the process exits)", target);
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(target) { Namespace = "default" }).ConfigureAwait(false);
        return new InProcessTemporalService(app, engine, target, client);
    }

    /// <summary>Stops the service.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _engine.DisposeAsync().ConfigureAwait(false);
    }
}
