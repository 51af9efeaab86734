using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Migrations;
using CroweLogic.Flow.Tests.Shared;

// libchdb runs one engine per process, so tests that open stores run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>A real embedded store in a fresh directory, migrated, with the sample instruments registered.</summary>
public sealed class TempStore : IDisposable
{
    private readonly TempDirectory? _owned;

    private TempStore(string directory, EmbeddedClickHouseStore store, TempDirectory? owned)
    {
        Directory = directory;
        Store = store;
        _owned = owned;
    }

    public string Directory { get; }

    public EmbeddedClickHouseStore Store { get; private set; }

    public static async Task<TempStore> CreateAsync()
    {
        var owned = new TempDirectory();
        var store = EmbeddedClickHouseStore.Open(owned.Path);
        await SchemaMigrator.MigrateAsync(store);
        await InstrumentRegistry.EnsureAsync(store, ContractSamples.Instruments);
        return new TempStore(owned.Path, store, owned);
    }

    /// <summary>Closes and reopens the same directory, as a restart would.</summary>
    public async Task RestartAsync()
    {
        Store.Dispose();
        Store = EmbeddedClickHouseStore.Open(Directory);
        Assert.Empty(await SchemaMigrator.MigrateAsync(Store));
    }

    public async Task<long> CountAsync(string sql)
    {
        using var result = await Store.QueryArrowAsync(sql);
        return result.Scalar<long>();
    }

    public async Task<string> TextAsync(string sql) => System.Text.Encoding.UTF8.GetString(await Store.QueryFormattedAsync(sql, "TSV")).Trim();

    public void Dispose()
    {
        Store.Dispose();
        _owned?.Dispose();
    }
}
