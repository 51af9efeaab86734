using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Dataflow.Policy;

namespace CroweLogic.Flow.Activities;

/// <summary>
/// An artifact's backtest daily returns over its dataset window: what live drift and decay are measured against.
/// Recomputed from the registered policy and the store (deterministic), once per artifact per worker.
/// </summary>
public static class ReferenceReturns
{
    private static readonly ConditionalWeakTable<GovernanceServices, ConcurrentDictionary<string, double[]>> Caches = new();

    /// <summary>The reference returns of an artifact.</summary>
    public static async Task<double[]> GetAsync(GovernanceServices services, string hash, CancellationToken ct)
    {
        var cache = Caches.GetOrCreateValue(services);
        if (cache.TryGetValue(hash, out var cached)) return cached;
        var artifact = await services.Registry.FindAsync(hash, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no artifact {hash} in the registry");
        var policy = PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {hash}");
        var run = await ResearchActivities.RunAsync(services, policy, $"reference-{hash[7..19]}", artifact.Dataset.From, artifact.Dataset.To, ct).ConfigureAwait(false);
        return cache.GetOrAdd(hash, [.. Backtest.DailyResult.Trading(run.Days).Select(d => d.Return)]);
    }
}
