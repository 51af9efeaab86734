using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CroweLogic.Flow.Storage.Ingest;

/// <summary>
/// Serialises the check-then-insert section of concurrent ingests into the same table of the same store,
/// so two writers offering the same rows cannot both find them absent.
/// </summary>
internal static class TableLock
{
    private static readonly ConditionalWeakTable<IFlowStore, ConcurrentDictionary<string, SemaphoreSlim>> Locks = new();

    public static async Task<IDisposable> AcquireAsync(IFlowStore store, string table, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrCreateValue(store).GetOrAdd(table, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
