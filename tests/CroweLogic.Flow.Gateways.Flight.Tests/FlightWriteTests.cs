using System.Text.Json;
using Apache.Arrow.Flight;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Tests.Shared;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>DoPut through the validated ingest path, and the maintenance actions.</summary>
public class FlightWriteTests(FlightFixture fixture)
{
    private readonly Metadata _writer = FlightFixture.Bearer(FlightFixture.WriterToken);
    private readonly Metadata _reader = FlightFixture.Bearer(FlightFixture.ReaderToken);

    private static Quote[] Quotes(int day) =>
    [
        new("AAPL", ContractSamples.T0 + (day * 86_400_000_000_000L), ContractSamples.T0, 0, 185.60, 100, 185.70, 100, "XNAS", ""),
        new("AAPL", ContractSamples.T0 + (day * 86_400_000_000_000L) + 1, ContractSamples.T0, 1, 185.61, 200, 185.69, 300, "XNAS", ""),
        // Crossed: bid above ask, quarantined.
        new("AAPL", ContractSamples.T0 + (day * 86_400_000_000_000L) + 2, ContractSamples.T0, 2, 185.90, 100, 185.80, 100, "XNAS", ""),
    ];

    private async Task<List<JsonElement>> Put(string dataset, params Quote[][] batches)
    {
        var client = fixture.Client();
        using var call = await client.StartPut(FlightDescriptor.CreatePathDescriptor(dataset), Quote.Arrow.Schema, _writer);
        foreach (var batch in batches) await call.RequestStream.WriteAsync(Quote.Arrow.Encode(batch));
        await call.RequestStream.CompleteAsync();
        var results = new List<JsonElement>();
        while (await call.ResponseStream.MoveNext(default)) results.Add(JsonDocument.Parse(call.ResponseStream.Current.ApplicationMetadata.ToStringUtf8()).RootElement.Clone());
        return results;
    }

    [Fact]
    public async Task A_put_is_validated_quarantined_counted_per_batch_and_idempotent()
    {
        var results = await Put("quotes", Quotes(7), Quotes(8));
        Assert.Equal(2, results.Count);
        foreach (var (result, index) in results.Select((r, i) => (r, i)))
        {
            Assert.Equal(index, result.GetProperty("batch").GetInt32());
            Assert.Equal(3, result.GetProperty("rows_in").GetInt64());
            Assert.Equal(2, result.GetProperty("accepted").GetInt64());
            Assert.Equal(1, result.GetProperty("rejected").GetInt64());
            Assert.Equal(1, result.GetProperty("rejects_by_reason").GetProperty("crossed_quote").GetInt64());
        }
        using (var stored = await fixture.Store.QueryArrowAsync($"SELECT count() FROM quotes WHERE ts >= {Sql.Nanos(ContractSamples.T0 + (7 * 86_400_000_000_000L))}"))
            Assert.Equal(4, stored.Scalar<long>());
        using (var quarantined = await fixture.Store.QueryArrowAsync("SELECT count() FROM rejects WHERE table_name = 'quotes' AND source = 'flight:loader' AND reason = 'crossed_quote'"))
            Assert.True(quarantined.Scalar<long>() >= 2);

        // A retry of the same put changes nothing.
        var retry = await Put("quotes", Quotes(7), Quotes(8));
        Assert.All(retry, r => Assert.True(r.GetProperty("already_loaded").GetBoolean()));
        Assert.All(retry, r => Assert.Equal(0, r.GetProperty("accepted").GetInt64()));
        using var after = await fixture.Store.QueryArrowAsync($"SELECT count() FROM quotes WHERE ts >= {Sql.Nanos(ContractSamples.T0 + (7 * 86_400_000_000_000L))}");
        Assert.Equal(4, after.Scalar<long>());
    }

    [Fact]
    public async Task A_put_of_only_rejected_rows_stores_nothing_and_quarantines_them()
    {
        var bad = Quotes(20).Select(q => q with { Bid = q.Ask + 1 }).ToArray();
        var result = Assert.Single(await Put("quotes", bad));
        Assert.Equal(0, result.GetProperty("accepted").GetInt64());
        Assert.Equal(3, result.GetProperty("rejected").GetInt64());
        using var stored = await fixture.Store.QueryArrowAsync(
            $"SELECT count() FROM quotes WHERE ts BETWEEN {Sql.Nanos(ContractSamples.T0 + (20 * 86_400_000_000_000L))} AND {Sql.Nanos(ContractSamples.T0 + (21 * 86_400_000_000_000L))}");
        Assert.Equal(0, stored.Scalar<long>());
    }

    [Fact]
    public async Task Puts_need_the_write_role_a_market_data_table_and_the_contract_schema()
    {
        var client = fixture.Client();
        async Task<RpcException> PutFails(FlightDescriptor descriptor, Apache.Arrow.Schema schema, Metadata headers, Apache.Arrow.RecordBatch batch)
        {
            return await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = await client.StartPut(descriptor, schema, headers);
                try
                {
                    await call.RequestStream.WriteAsync(batch);
                    await call.RequestStream.CompleteAsync();
                }
                catch (RpcException)
                {
                    // The server may refuse the call before it reads the batch; its status arrives on the response
                    // stream, while the write itself only sees the call ending (Cancelled).
                }
                while (await call.ResponseStream.MoveNext(default))
                {
                }
            });
        }

        var batch = Quote.Arrow.Encode(Quotes(30));
        var reader = await PutFails(FlightDescriptor.CreatePathDescriptor("quotes"), Quote.Arrow.Schema, _reader, batch);
        Assert.Equal(StatusCode.PermissionDenied, reader.StatusCode);

        var orders = await PutFails(FlightDescriptor.CreatePathDescriptor("orders"), Quote.Arrow.Schema, _writer, batch);
        Assert.Equal(StatusCode.InvalidArgument, orders.StatusCode);
        Assert.Contains("DoPut ingests into one of trades, quotes", orders.Status.Detail);

        var narrowed = new Apache.Arrow.RecordBatch(new Apache.Arrow.Schema(Quote.Arrow.Schema.FieldsList.Where(f => f.Name != "bid").ToList(), null),
            batch.Arrays.Where((_, i) => Quote.Arrow.Schema.FieldsList[i].Name != "bid"), batch.Length);
        var missing = await PutFails(FlightDescriptor.CreatePathDescriptor("quotes"), narrowed.Schema, _writer, narrowed);
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Contains("missing column 'bid'", missing.Status.Detail);

        var wrong = await PutFails(FlightDescriptor.CreatePathDescriptor("trades"), Quote.Arrow.Schema, _writer, batch);
        Assert.Equal(StatusCode.InvalidArgument, wrong.StatusCode);
        Assert.Contains("missing column 'price'", wrong.Status.Detail);
        Assert.Contains("column 'bid' is not in the trades contract", wrong.Status.Detail);
    }

    [Fact]
    public async Task Actions_list_describe_and_flush_with_roles_enforced()
    {
        var client = fixture.Client();
        async Task<JsonElement> Act(string type, string body, Metadata headers)
        {
            using var call = client.DoAction(new FlightAction(type, body), headers);
            Assert.True(await call.ResponseStream.MoveNext(default));
            return JsonDocument.Parse(call.ResponseStream.Current.Body.ToStringUtf8()).RootElement.Clone();
        }

        var list = await Act(FlowFlightServer.ListDatasetsAction, "", _reader);
        var trades = list.EnumerateArray().Single(d => d.GetProperty("name").GetString() == "trades");
        Assert.Equal("symbol", trades.GetProperty("symbol_column").GetString());
        Assert.Equal("ts", trades.GetProperty("time_column").GetString());

        var stats = await Act(FlowFlightServer.DatasetStatsAction, "trades", _reader);
        Assert.Equal(3, stats.GetProperty("rows").GetInt64());
        Assert.Equal(2, stats.GetProperty("symbols").GetInt64());

        var denied = await Assert.ThrowsAsync<RpcException>(() => Act(FlowFlightServer.FlushAction, "quotes", _reader));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        await Put("quotes", Quotes(40));
        await Put("quotes", Quotes(41));
        var flushed = await Act(FlowFlightServer.FlushAction, "quotes", _writer);
        Assert.True(flushed.GetProperty("parts_before").GetInt64() >= 2);
        // One part per partition is as far as a merge goes.
        Assert.Equal(flushed.GetProperty("partitions").GetInt64(), flushed.GetProperty("parts_after").GetInt64());
        Assert.True(flushed.GetProperty("parts_after").GetInt64() < flushed.GetProperty("parts_before").GetInt64());
        Assert.Equal(flushed.GetProperty("rows_before").GetInt64(), flushed.GetProperty("rows_after").GetInt64());

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Act("vacuum", "", _writer));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);

        using var actions = client.ListActions(_reader);
        var types = new List<string>();
        while (await actions.ResponseStream.MoveNext(default)) types.Add(actions.ResponseStream.Current.Type);
        Assert.Equal([FlowFlightServer.ListDatasetsAction, FlowFlightServer.DatasetStatsAction, FlowFlightServer.FlushAction, "CreatePreparedStatement", "ClosePreparedStatement"], types);
    }
}
