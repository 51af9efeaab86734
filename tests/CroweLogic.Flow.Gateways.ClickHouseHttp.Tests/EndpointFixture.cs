using System.Net;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Tests.Shared;

[assembly: AssemblyFixture(typeof(CroweLogic.Flow.Gateways.ClickHouseHttp.Tests.EndpointFixture))]

namespace CroweLogic.Flow.Gateways.ClickHouseHttp.Tests;

/// <summary>One embedded store for the test process (the engine runs one per process) behind the HTTP interface on a free port.</summary>
public sealed class EndpointFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("flow-chhttp-");

    /// <summary>A read-write user.</summary>
    public const string Writer = "flow";

    /// <summary>A read-only user.</summary>
    public const string Reader = "analyst";

    /// <summary>The writer's password.</summary>
    public string WriterToken { get; } = FlightAccessList.NewToken();

    /// <summary>The reader's password.</summary>
    public string ReaderToken { get; } = FlightAccessList.NewToken();

    /// <summary>The store behind it.</summary>
    public EmbeddedClickHouseStore Store { get; private set; } = null!;

    /// <summary>The endpoint.</summary>
    public ClickHouseHttpEndpoint Endpoint { get; private set; } = null!;

    /// <summary>The endpoint's base address.</summary>
    public Uri Location => Endpoint.Location;

    /// <summary>A URL with credentials, as ClickHouse clients take it.</summary>
    public string Url(string user, string token, string database = "") =>
        $"http://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(token)}@{Location.Host}:{Location.Port}/{database}";

    public async ValueTask InitializeAsync()
    {
        Store = EmbeddedClickHouseStore.Open(_dir.Path);
        var access = FlightAccessList.Of([(WriterToken, new FlightPrincipal(Writer, FlightRole.ReadWrite)), (ReaderToken, new FlightPrincipal(Reader, FlightRole.Read))]);
        Endpoint = await ClickHouseHttpEndpoint.StartAsync(Store, new ClickHouseHttpOptions { Address = IPAddress.Loopback, Port = 0, Access = access, Budget = new FlightBudget(1000, 1 << 20, TimeSpan.FromSeconds(30)) });
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        Store.Dispose();
        _dir.Dispose();
    }
}
