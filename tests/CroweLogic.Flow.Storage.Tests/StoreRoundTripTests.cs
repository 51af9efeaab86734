using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>Every contract through Arrow into the real embedded ClickHouse engine and back.</summary>
public class StoreRoundTripTests
{
    [Fact]
    public async Task Every_contract_round_trips_through_its_table()
    {
        using var temp = await TempStore.CreateAsync();
        var store = temp.Store;
        await AssertRoundTrip(store, EventTables.Trades, ContractSamples.Trades, "symbol, ts, seq");
        await AssertRoundTrip(store, EventTables.Quotes, ContractSamples.Quotes, "symbol, ts, seq");
        await AssertRoundTrip(store, EventTables.Bars1m, ContractSamples.Bars, "symbol, ts");
        await AssertRoundTrip(store, EventTables.Bars1d, ContractSamples.Bars, "symbol, ts");
        await AssertRoundTrip(store, EventTables.BookDeltas, ContractSamples.BookDeltas, "symbol, ts, seq");
        await AssertRoundTrip(store, EventTables.CorporateActions, ContractSamples.CorporateActions, "symbol, ex_date");
        await AssertRoundTrip(store, EventTables.FeatureValues, ContractSamples.FeatureVectors, "instrument");
        await AssertRoundTrip(store, EventTables.Signals, ContractSamples.Signals, "instrument");
        await AssertRoundTrip(store, EventTables.TargetPositions, ContractSamples.TargetPositions, "instrument");
        await AssertRoundTrip(store, EventTables.Orders, ContractSamples.Orders, "order_id");
        await AssertRoundTrip(store, EventTables.Executions, ContractSamples.ExecutionReports, "exec_id");
        await AssertRoundTrip(store, EventTables.Positions, ContractSamples.Positions, "instrument");
        await AssertRoundTrip(store, EventTables.Pnl, ContractSamples.Pnl, "instrument DESC");
        await AssertRoundTrip(store, EventTables.RiskEvents, ContractSamples.RiskEvents, "event_id");
        await AssertRoundTrip(store, EventTables.AuditLog, ContractSamples.AuditRecords, "seq");

        var instruments = await EventTables.Instruments.ReadAsync(store, orderBy: "symbol");
        Assert.Equal(ContractSamples.Instruments.OrderBy(i => i.Symbol, StringComparer.Ordinal), instruments);
    }

    [Fact]
    public async Task Data_survives_a_restart()
    {
        using var temp = await TempStore.CreateAsync();
        await EventTables.Trades.AppendAsync(temp.Store, ContractSamples.Trades);
        await temp.RestartAsync();
        Assert.Equal(ContractSamples.Trades, await EventTables.Trades.ReadAsync(temp.Store, orderBy: "symbol, ts, seq"));
    }

    [Fact]
    public async Task Migrations_apply_once_and_refuse_a_newer_store()
    {
        using var temp = await TempStore.CreateAsync();
        Assert.Empty(await SchemaMigrator.MigrateAsync(temp.Store));
        Assert.Equal(Migration.Embedded.Count, await temp.CountAsync("SELECT count() FROM schema_migrations"));

        await temp.Store.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from_the_future', 'x')");
        var error = await Assert.ThrowsAsync<SchemaDriftException>(() => SchemaMigrator.MigrateAsync(temp.Store));
        Assert.Contains("schema version 999, newer than this build", error.Message);
    }

    [Fact]
    public async Task An_edited_applied_migration_is_refused()
    {
        using var temp = await TempStore.CreateAsync();
        await temp.Store.ExecuteAsync("ALTER TABLE schema_migrations UPDATE checksum = 'edited' WHERE version = 2 SETTINGS mutations_sync = 1");
        var error = await Assert.ThrowsAsync<SchemaDriftException>(() => SchemaMigrator.MigrateAsync(temp.Store));
        Assert.Contains("0002_market_data was changed after it was applied", error.Message);
    }

    [Fact]
    public async Task Sql_errors_carry_clickhouses_message()
    {
        using var temp = await TempStore.CreateAsync();
        var error = await Assert.ThrowsAsync<StoreQueryException>(() => temp.Store.QueryArrowAsync("SELEC 1"));
        Assert.Contains("Syntax error", error.Message);
        Assert.Equal("SELEC 1", error.Sql);
    }

    [Fact]
    public async Task Arrow_results_read_straight_from_the_engine_buffer()
    {
        using var temp = await TempStore.CreateAsync();
        using var result = await temp.Store.QueryArrowAsync("SELECT number, toString(number) AS s, toDateTime64(number, 9, 'UTC') AS t FROM numbers(100000)");
        Assert.Equal(100_000, result.RowCount);
        Assert.Equal(["number", "s", "t"], result.Schema!.FieldsList.Select(f => f.Name));
        Assert.IsType<Apache.Arrow.Types.StringType>(result.Schema.GetFieldByName("s").DataType);
        Assert.Equal(99_999L * 100_000 / 2, result.Batches.Sum(b => ((Apache.Arrow.UInt64Array)b.Column(0)).Values.ToArray().Sum(v => (long)v)));
    }

    private static async Task AssertRoundTrip<T>(IFlowStore store, EventTable<T> table, T[] records, string orderBy)
    {
        await table.AppendAsync(store, records);
        var back = await table.ReadAsync(store, orderBy: orderBy);
        Assert.Equal(records.Length, back.Count);
        Assert.All(records, r => Assert.Contains(r, back));
    }
}
