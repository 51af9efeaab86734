using Apache.Arrow;
using Apache.Arrow.Flight;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Tests.Shared;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>Listing, schemas and DoGet with the real Flight client over loopback.</summary>
public class FlightReadTests(FlightFixture fixture)
{
    private readonly Metadata _reader = FlightFixture.Bearer(FlightFixture.ReaderToken);

    [Fact]
    public async Task ListFlights_offers_the_store_tables_with_their_schemas_and_row_counts()
    {
        var client = fixture.Client();
        using var call = client.ListFlights(new FlightCriteria(), _reader);
        var infos = new List<FlightInfo>();
        while (await call.ResponseStream.MoveNext(default)) infos.Add(call.ResponseStream.Current);

        var names = infos.Select(i => i.Descriptor.Paths.Single()).ToList();
        Assert.Contains("trades", names);
        Assert.Contains("bars_1d", names);
        Assert.Contains("big_numbers", names);
        Assert.DoesNotContain(names, n => n.StartsWith("flow_", StringComparison.Ordinal) || n == "schema_migrations");
        var trades = infos.Single(i => i.Descriptor.Paths.Single() == "trades");
        Assert.Equal(ContractSamples.Trades.Length, trades.TotalRecords);
        foreach (var column in Trade.Arrow.ColumnNames) Assert.NotNull(trades.Schema.GetFieldByName(column));

        using var filtered = client.ListFlights(new FlightCriteria("bars"), _reader);
        var bars = new List<string>();
        while (await filtered.ResponseStream.MoveNext(default)) bars.Add(filtered.ResponseStream.Current.Descriptor.Paths.Single());
        Assert.Equal(["bars_1d", "bars_1m", "bars_1s"], bars);
    }

    [Fact]
    public async Task DoGet_of_a_table_returns_exactly_the_stored_rows()
    {
        var client = fixture.Client();
        var info = await client.GetInfo(FlightDescriptor.CreatePathDescriptor("trades"), _reader);
        var batches = await FlightFixture.ReadAll(client, info.Endpoints.Single().Ticket, _reader);
        var decoded = Trade.Arrow.Decode(batches).OrderBy(t => t.Symbol, StringComparer.Ordinal).ThenBy(t => t.Ts).ThenBy(t => t.Sequence);
        Assert.Equal(await EventTables.Trades.ReadAsync(fixture.Store, orderBy: "symbol, ts, seq"), decoded);
    }

    [Fact]
    public async Task A_parameterised_dataset_filters_symbols_time_and_columns()
    {
        var client = fixture.Client();
        var command = """{"dataset": "trades", "symbols": ["AAPL"], "from": "2024-01-02", "to": "2024-01-02", "columns": ["symbol", "ts", "price"]}""";
        var descriptor = FlightDescriptor.CreateCommandDescriptor(command);
        var schema = await client.GetSchema(descriptor, _reader);
        Assert.Equal(["symbol", "ts", "price"], schema.FieldsList.Select(f => f.Name));

        var info = await client.GetInfo(descriptor, _reader);
        Assert.Equal(-1, info.TotalRecords);
        var batches = await FlightFixture.ReadAll(client, info.Endpoints.Single().Ticket, _reader);
        var prices = batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((DoubleArray)b.Column("price")).GetValue(i)!.Value)).Order().ToList();
        Assert.Equal(ContractSamples.Trades.Where(t => t.Symbol == "AAPL").Select(t => t.Price).Order(), prices);

        // The next day holds nothing: an empty result still carries its schema.
        var empty = FlightDescriptor.CreateCommandDescriptor("""{"dataset": "trades", "from": "2024-01-03"}""");
        var none = await FlightFixture.ReadAll(client, (await client.GetInfo(empty, _reader)).Endpoints.Single().Ticket, _reader);
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_large_table_streams_in_many_batches_with_every_row_once()
    {
        var client = fixture.Client();
        var batches = await FlightFixture.ReadAll(client, new FlightTicket("""{"dataset": "big_numbers"}"""), _reader);
        Assert.True(batches.Count > 10, $"expected many batches, got {batches.Count}");
        long count = 0, sum = 0;
        foreach (var batch in batches)
        {
            var n = (UInt64Array)batch.Column(0);
            for (var i = 0; i < n.Length; i++) sum += (long)n.GetValue(i)!.Value;
            count += batch.Length;
        }
        Assert.Equal(3_000_000, count);
        Assert.Equal(3_000_000L * 2_999_999 / 2, sum);
    }

    [Fact]
    public async Task A_client_cancelling_mid_stream_frees_the_engine()
    {
        var client = fixture.Client();
        using var cancel = new CancellationTokenSource();
        using (var call = client.GetStream(new FlightTicket("""{"dataset": "big_numbers"}"""), _reader, null, cancel.Token))
        {
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
            cancel.Cancel();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseStream.MoveNext(cancel.Token));
            Assert.True(error is OperationCanceledException || error is RpcException { StatusCode: StatusCode.Cancelled }, error.ToString());
        }
        // The store answers again at once: the cancelled stream released the engine.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var batches = await FlightFixture.ReadAll(client, new FlightTicket("SELECT count() AS c FROM big_numbers"), _reader, timeout.Token);
        Assert.Equal(3_000_000UL, ((UInt64Array)batches.Single().Column(0)).GetValue(0));
    }

    [Fact]
    public async Task Unknown_datasets_and_columns_are_named_in_the_error()
    {
        var client = fixture.Client();
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetSchema(FlightDescriptor.CreatePathDescriptor("nope"), _reader).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no dataset 'nope'", missing.Status.Detail);

        var column = await Assert.ThrowsAsync<RpcException>(() => FlightFixture.ReadAll(client, new FlightTicket("""{"dataset": "trades", "columns": ["pryce"]}"""), _reader));
        Assert.Equal(StatusCode.InvalidArgument, column.StatusCode);
        Assert.Contains("no column 'pryce'", column.Status.Detail);

        var key = await Assert.ThrowsAsync<RpcException>(() => FlightFixture.ReadAll(client, new FlightTicket("""{"dataset": "trades", "symbol": "AAPL"}"""), _reader));
        Assert.Equal(StatusCode.InvalidArgument, key.StatusCode);
        Assert.Contains("unknown key 'symbol'", key.Status.Detail);
    }
}
