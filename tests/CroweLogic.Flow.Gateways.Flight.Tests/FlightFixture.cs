using System.Net.Security;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Tests.Shared;
using Grpc.Core;
using Grpc.Net.Client;

// libchdb runs one engine per process: one store for the whole assembly, tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(CroweLogic.Flow.Gateways.Flight.Tests.FlightFixture))]

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>A real embedded store with sample data, served by the real Flight service on a loopback port.</summary>
public sealed class FlightFixture : IAsyncLifetime
{
    public const string ReaderToken = "reader-token-0123456789";
    public const string WriterToken = "writer-token-0123456789";

    private readonly TempDirectory _directory = new();
    private readonly List<GrpcChannel> _channels = [];

    public EmbeddedClickHouseStore Store { get; private set; } = null!;

    public FlightService Service { get; private set; } = null!;

    public static FlightAccessList Access { get; } = FlightAccessList.Of(
    [
        (ReaderToken, new FlightPrincipal("research", FlightRole.Read)),
        (WriterToken, new FlightPrincipal("loader", FlightRole.ReadWrite)),
    ]);

    public static FlightBudget Budget { get; } = new(MaxRows: 1_000_000, MaxBytes: 256L << 20, Timeout: TimeSpan.FromSeconds(2));

    public async ValueTask InitializeAsync()
    {
        Store = EmbeddedClickHouseStore.Open(_directory.Path);
        await SchemaMigrator.MigrateAsync(Store);
        await InstrumentRegistry.EnsureAsync(Store, ContractSamples.Instruments);
        await EventTables.Trades.AppendAsync(Store, ContractSamples.Trades);
        await EventTables.Bars1d.AppendAsync(Store, ContractSamples.Bars);
        // A table large enough to arrive in many blocks.
        await Store.ExecuteAsync("CREATE TABLE big_numbers (n UInt64, s String) ENGINE = MergeTree ORDER BY n AS SELECT number, toString(number) FROM numbers(3000000)");
        Service = await FlightService.StartAsync(Store, new FlightServiceOptions { Port = 0, Access = Access, Budget = Budget });
    }

    public FlightClient Client(Uri? location = null, HttpMessageHandler? handler = null)
    {
        var channel = GrpcChannel.ForAddress(location ?? Service.Location, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null, HttpHandler = handler });
        _channels.Add(channel);
        return new FlightClient(channel);
    }

    public static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    public static async Task<List<RecordBatch>> ReadAll(FlightClient client, FlightTicket ticket, Metadata headers, CancellationToken cancellationToken = default)
    {
        using var call = client.GetStream(ticket, headers, null, cancellationToken);
        var batches = new List<RecordBatch>();
        while (await call.ResponseStream.MoveNext(cancellationToken)) batches.Add(call.ResponseStream.Current.Clone());
        return batches;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        await Service.DisposeAsync();
        Store.Dispose();
        _directory.Dispose();
    }
}
