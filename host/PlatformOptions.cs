using System.Net;
using CroweLogic.Flow.Gateways.ClickHouseHttp;
using CroweLogic.Flow.Gateways.Flight;

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
}
