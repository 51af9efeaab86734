using System.Net;
using CroweLogic.Flow.Gateways.Flight;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
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

    private readonly WebEndpoint _endpoint;

    private PlatformMetrics(WebEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>The scrape endpoint.</summary>
    public Uri Location => new(_endpoint.Location, "metrics");

    /// <summary>Starts the endpoint on <paramref name="address"/>:<paramref name="port"/>, with OTLP export when <paramref name="otlp"/>.</summary>
    /// <exception cref="FlightConfigurationException">The address cannot be listened on.</exception>
    public static async Task<PlatformMetrics> StartAsync(IPAddress address, int port, bool otlp, CancellationToken cancellationToken)
    {
        var builder = WebEndpoint.Builder(address, port, HttpProtocols.Http1);
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(Sources).AddPrometheusExporter();
            if (otlp) metrics.AddOtlpExporter();
        });
        if (otlp) telemetry.WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter());
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return new PlatformMetrics(await WebEndpoint.StartAsync(app, $"the metrics endpoint on {address}:{port}", cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
