using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CroweLogic.Flow.Host;

/// <summary>
/// The platform's metrics — the ClickHouse HTTP interface, Arrow Flight, the lanes, Kestrel and the .NET runtime — as a
/// Prometheus scrape endpoint (<c>/metrics</c>, on ClickHouse's Prometheus port 9363 by default) and, when asked, over
/// OTLP with the spans of the same sources.
/// </summary>
public sealed class PlatformMetrics : IAsyncDisposable
{
    /// <summary>ClickHouse's own Prometheus port.</summary>
    public const int DefaultPort = 9363;

    /// <summary>The Meters and ActivitySources exported.</summary>
    public static readonly string[] Sources =
    [
        Gateways.ClickHouseHttp.ClickHouseHttpTelemetry.Name, Gateways.Flight.FlightTelemetry.Name, "CroweLogic.Flow.Lane",
        "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting", "System.Runtime",
    ];

    private readonly WebApplication _app;

    private PlatformMetrics(WebApplication app, Uri location)
    {
        _app = app;
        Location = location;
    }

    /// <summary>The scrape endpoint.</summary>
    public Uri Location { get; }

    /// <summary>Starts the endpoint on <paramref name="address"/>:<paramref name="port"/>, with OTLP export when <paramref name="otlp"/>.</summary>
    public static async Task<PlatformMetrics> StartAsync(IPAddress address, int port, bool otlp, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1));
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(Sources).AddPrometheusExporter();
            if (otlp) metrics.AddOtlpExporter();
        });
        if (otlp) telemetry.WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter());
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlatformMetrics(app, new Uri(bound + "/metrics"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
