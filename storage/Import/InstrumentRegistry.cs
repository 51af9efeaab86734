using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>Registers instruments so their events pass the unknown-instrument and session checks.</summary>
public static class InstrumentRegistry
{
    /// <summary>Adds instruments not yet in the store (existing definitions are kept as they are).</summary>
    public static async Task<int> EnsureAsync(IFlowStore store, IReadOnlyCollection<Instrument> instruments, CancellationToken cancellationToken = default)
    {
        if (instruments.Count == 0) return 0;
        var known = new HashSet<string>(StringComparer.Ordinal);
        using (var result = await store.QueryArrowAsync("SELECT DISTINCT symbol FROM instruments", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var view = Contracts.Arrow.ColumnView.For(batch.Column(0), "symbol");
                for (var i = 0; i < batch.Length; i++) known.Add(view.GetString(i));
            }
        }
        var missing = instruments.Where(i => !known.Contains(i.Symbol)).DistinctBy(i => i.Symbol).ToArray();
        if (missing.Length > 0) await EventTables.Instruments.AppendAsync(store, missing, cancellationToken).ConfigureAwait(false);
        return missing.Length;
    }
}
