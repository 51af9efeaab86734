using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Storage.Server;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp.Tests;

/// <summary>
/// The server backend (ClickHouse.Driver over HTTP) against the HTTP interface of the embedded engine — and against a
/// real ClickHouse server instead when CLICKHOUSE_URL names one: the same SQL, migrations, ingest and reads.
/// </summary>
public class ServerStoreOverEndpointTests(EndpointFixture endpoint)
{
    private string Url => Environment.GetEnvironmentVariable(ClickHouseServerStore.UrlVariable) is { Length: > 0 } url ? url : endpoint.Url(EndpointFixture.Writer, endpoint.WriterToken);

    [Fact]
    public async Task Migrate_ingest_and_read_back_over_http()
    {
        var database = $"flow_test_{Guid.NewGuid():N}";
        using (var admin = await ClickHouseServerStore.ConnectAsync(Url)) await admin.ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var uri = new UriBuilder(Url) { Path = "/" + database };
            using var store = await ClickHouseServerStore.ConnectAsync(uri.Uri.ToString());
            Assert.Equal(Migration.Embedded.Count, (await SchemaMigrator.MigrateAsync(store)).Count);
            await EventTables.Instruments.AppendAsync(store, ContractSamples.Instruments);

            var bad = new Trade("AAPL", ContractSamples.T0, ContractSamples.T0, 9, double.NaN, 1, "X", "");
            var report = await new IngestPipeline(store).IngestAsync(MarketDataTable.Trades,
                new ArrowIngestSource("server", Trade.Arrow.Schema, [Trade.Arrow.Encode([.. ContractSamples.Trades, bad])]));
            Assert.Equal((4, 3, 1), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal(ContractSamples.Trades, await EventTables.Trades.ReadAsync(store, orderBy: "symbol, ts, seq"));
            // The same rows streamed.
            await using (var stream = await store.StreamArrowAsync("SELECT symbol, price FROM trades ORDER BY symbol, ts, seq"))
            {
                var rows = 0;
                while (await stream.ReadNextAsync() is { } batch) rows += batch.Length;
                Assert.Equal(3, rows);
            }
        }
        finally
        {
            using var admin = await ClickHouseServerStore.ConnectAsync(Url);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }

    [Fact]
    public async Task An_engine_error_reaches_the_driver_with_its_code_and_name()
    {
        using var store = await ClickHouseServerStore.ConnectAsync(Url);
        var error = await Assert.ThrowsAsync<StoreQueryException>(() => store.ExecuteAsync("INSERT INTO no_such_table SELECT 1"));
        Assert.Contains("Code: 60.", error.Message);
        Assert.Contains("(UNKNOWN_TABLE)", error.Message);
    }

    [Fact]
    public async Task Arrow_reads_stream_block_by_block_and_an_empty_result_is_a_schema()
    {
        using var store = await ClickHouseServerStore.ConnectAsync(Url);
        await using (var stream = await store.StreamArrowAsync("SELECT number AS n, toString(number) AS s FROM numbers(3000000)"))
        {
            long rows = 0, last = -1;
            var batches = 0;
            while (await stream.ReadNextAsync() is { } batch)
            {
                var n = (Apache.Arrow.UInt64Array)batch.Column("n");
                Assert.Equal(last + 1, (long)n.GetValue(0)!.Value);
                last = (long)n.GetValue(batch.Length - 1)!.Value;
                rows += batch.Length;
                batches++;
            }
            Assert.Equal((3_000_000L, 2_999_999L), (rows, last));
            Assert.True(batches > 1, $"the rows should arrive in the engine's blocks, got {batches} batch(es)");
        }
        using var empty = await store.QueryArrowAsync("SELECT number AS n FROM numbers(10) WHERE n > 100");
        Assert.Equal(0, empty.Batches.Sum(b => b.Length));
    }
}
