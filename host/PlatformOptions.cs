using System.Net;
using CroweLogic.Flow.Gateways.ClickHouseHttp;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Host.Workers;
using CroweLogic.Flow.Storage.Registry;

namespace CroweLogic.Flow.Host;

/// <summary>What <c>flow up</c> serves, and where.</summary>
public sealed record PlatformOptions
{
    /// <summary>The data directory the platform owns.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Address every service listens on.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>The ClickHouse HTTP interface's port.</summary>
    public int HttpPort { get; init; } = ClickHouseHttpOptions.DefaultPort;

    /// <summary>The Arrow Flight port.</summary>
    public int FlightPort { get; init; } = FlightServiceOptions.DefaultPort;

    /// <summary>The Prometheus scrape endpoint's port.</summary>
    public int MetricsPort { get; init; } = PlatformMetrics.DefaultPort;

    /// <summary>Whether metrics and spans also go out over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public bool Otlp { get; init; }

    /// <summary>Principals from an access file (null: the local principal, <see cref="LocalAccess"/>).</summary>
    public FlightAccessList? Access { get; init; }

    /// <summary>The budget of a read principal's query, on both interfaces.</summary>
    public FlightBudget Budget { get; init; } = FlightBudget.Default;

    /// <summary>The embedded Temporal frontend's gRPC port.</summary>
    public int TemporalPort { get; init; } = DefaultTemporalPort;

    /// <summary>Temporal's well-known frontend port.</summary>
    public const int DefaultTemporalPort = 7233;

    /// <summary>The Temporal Web UI and HTTP API port.</summary>
    public int TemporalUiPort { get; init; } = DefaultTemporalUiPort;

    /// <summary>The Temporal UI's well-known port.</summary>
    public const int DefaultTemporalUiPort = 8233;

    /// <summary>The built Temporal Web UI (null: the HTTP API only, and the UI path says how to build it).</summary>
    public string? TemporalUiDirectory { get; init; }

    /// <summary>The key the platform's workers sign artifacts with; null runs no workers.</summary>
    public IArtifactSigner? Signer { get; init; }

    /// <summary>The task queues the platform's workers poll.</summary>
    public IReadOnlyList<string> WorkerQueues { get; init; } = [FlowWorkers.DefaultQueue];
}
