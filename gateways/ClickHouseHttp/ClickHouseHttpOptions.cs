using System.Net;
using CroweLogic.Flow.Gateways.Flight;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>Where the ClickHouse HTTP interface listens and whom it lets in.</summary>
public sealed record ClickHouseHttpOptions
{
    /// <summary>ClickHouse's own HTTP port.</summary>
    public const int DefaultPort = 8123;

    /// <summary>Address to listen on.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port (0 picks a free one).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// Principals: the ClickHouse user is the principal's name and the password its token. Read principals run SELECT
    /// queries under read-only mode and <see cref="Budget"/>; read-write principals run any statement.
    /// </summary>
    public required FlightAccessList Access { get; init; }

    /// <summary>Rows, bytes and time one query of a read principal may take.</summary>
    public FlightBudget Budget { get; init; } = FlightBudget.Default;

    /// <summary>The name in <c>X-ClickHouse-Server-Display-Name</c>.</summary>
    public string DisplayName { get; init; } = "flow";
}
