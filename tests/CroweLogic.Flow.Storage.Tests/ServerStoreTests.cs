using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage.Ingest;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Storage.Server;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>
/// The same SQL against a real ClickHouse server. They run whenever CLICKHOUSE_URL is set (e.g.
/// http://default:@localhost:8123); no ClickHouse server recent enough (≥ 23.x) can be installed on the build machines
/// (Debian ships 18.16), so CI without the variable reports them as skipped.
/// </summary>
public class ServerStoreTests
{
    private static readonly string? Url = Environment.GetEnvironmentVariable(ClickHouseServerStore.UrlVariable);

    [Fact]
    public async Task Migrate_ingest_and_read_back_over_http()
    {
        Assert.SkipWhen(string.IsNullOrEmpty(Url), "CLICKHOUSE_URL is not set: no ClickHouse server to test against");
        var database = $"flow_test_{Guid.NewGuid():N}";
        using (var admin = await ClickHouseServerStore.ConnectAsync(Url!)) await admin.ExecuteAsync($"CREATE DATABASE {database}");
        try
        {
            var uri = new UriBuilder(Url!) { Path = "/" + database };
            using var store = await ClickHouseServerStore.ConnectAsync(uri.Uri.ToString());
            Assert.Equal(Migration.Embedded.Count, (await SchemaMigrator.MigrateAsync(store)).Count);
            await EventTables.Instruments.AppendAsync(store, ContractSamples.Instruments);

            var bad = new Trade("AAPL", ContractSamples.T0, ContractSamples.T0, 9, double.NaN, 1, "X", "");
            var report = await new IngestPipeline(store).IngestAsync(MarketDataTable.Trades,
                new ArrowIngestSource("server", Trade.Arrow.Schema, [Trade.Arrow.Encode([.. ContractSamples.Trades, bad])]));
            Assert.Equal((4, 3, 1), (report.RowsIn, report.Accepted, report.Rejected));
            Assert.Equal(ContractSamples.Trades, await EventTables.Trades.ReadAsync(store, orderBy: "symbol, ts, seq"));
        }
        finally
        {
            using var admin = await ClickHouseServerStore.ConnectAsync(Url!);
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {database}");
        }
    }
}
