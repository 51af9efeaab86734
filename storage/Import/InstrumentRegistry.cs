using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>Registers instruments so their events pass the unknown-instrument and session checks.</summary>
public static class InstrumentRegistry
{
    /// <summary>Adds instruments not yet in the store (existing definitions are kept as they are).</summary>
    public static async Task<int> EnsureAsync(IFlowStore store, IReadOnlyCollection<Instrument> instruments, CancellationToken cancellationToken = default)
    {
        if (instruments.Count == 0) return 0;
        var known = await KnownAsync(store, cancellationToken).ConfigureAwait(false);
        var missing = instruments.Where(i => !known.Contains(i.Symbol)).DistinctBy(i => i.Symbol).ToArray();
        if (missing.Length > 0) await EventTables.Instruments.AppendAsync(store, missing, cancellationToken).ConfigureAwait(false);
        return missing.Length;
    }

    /// <summary>
    /// Stores definitions, replacing those of symbols already known (the table keeps the newest row per symbol); returns
    /// how many were new and how many replaced an existing definition. Each must pass <see cref="InstrumentRules"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A definition is invalid; nothing is stored.</exception>
    public static async Task<(int Added, int Replaced)> UpsertAsync(IFlowStore store, IReadOnlyList<Instrument> instruments, CancellationToken cancellationToken = default)
    {
        var bad = instruments.Select(i => (i.Symbol, Problems: InstrumentRules.Problems(i).ToList())).Where(p => p.Problems.Count > 0).ToList();
        if (bad.Count > 0) throw new ArgumentException(string.Join("\n", bad.Select(b => $"{b.Symbol}: {string.Join("; ", b.Problems)}")));
        var known = await KnownAsync(store, cancellationToken).ConfigureAwait(false);
        if (instruments.Count > 0) await EventTables.Instruments.AppendAsync(store, instruments, cancellationToken).ConfigureAwait(false);
        var replaced = instruments.Count(i => known.Contains(i.Symbol));
        return (instruments.Count - replaced, replaced);
    }

    private static async Task<HashSet<string>> KnownAsync(IFlowStore store, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        using var result = await store.QueryArrowAsync("SELECT DISTINCT symbol FROM instruments", cancellationToken).ConfigureAwait(false);
        foreach (var batch in result.Batches)
        {
            var view = Contracts.Arrow.ColumnView.For(batch.Column(0), "symbol");
            for (var i = 0; i < batch.Length; i++) known.Add(view.GetString(i));
        }
        return known;
    }
}
