using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Activities;

/// <summary>
/// An artifact's backtest daily returns over its dataset window: what live drift and decay are measured against.
/// Recomputed from the registered policy and the store (deterministic), once per artifact per worker; the pre-signing
/// check's reproducibility run is that same backtest and leaves its returns here.
/// </summary>
public static class ReferenceReturns
{
    private static readonly ConditionalWeakTable<GovernanceServices, ConcurrentDictionary<string, double[]>> Caches = new();

    /// <summary>The reference returns of an artifact.</summary>
    public static async Task<double[]> GetAsync(GovernanceServices services, string hash, CancellationToken ct)
    {
        if (Caches.GetOrCreateValue(services).TryGetValue(hash, out var cached)) return cached;
        var artifact = await services.Registry.FindAsync(hash, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no artifact {hash} in the registry");
        await RunAsync(services, hash, artifact, PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {hash}"), ct).ConfigureAwait(false);
        return Caches.GetOrCreateValue(services)[hash];
    }

    /// <summary>Re-runs the artifact's backtest over its dataset window (nothing written) and keeps its returns as the reference.</summary>
    public static async Task<BacktestRun> RunAsync(GovernanceServices services, string hash, ModelArtifact artifact, TradingPolicy policy, CancellationToken ct)
    {
        var run = await ResearchActivities.RunAsync(services, policy, $"reference-{hash[7..19]}", artifact.Dataset.From, artifact.Dataset.To, ct).ConfigureAwait(false);
        Caches.GetOrCreateValue(services)[hash] = [.. DailyResult.Trading(run.Days).Select(d => d.Return)];
        return run;
    }
}
