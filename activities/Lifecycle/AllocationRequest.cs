namespace CroweLogic.Flow.Activities.Lifecycle;

/// <summary>Re-allocate capital across live models with the CVaR-penalised LinUCB bandit.</summary>
/// <param name="ArtifactHashes">The live models (the bandit's arms).</param>
/// <param name="Window">Sessions in each context feature (trailing mean and volatility).</param>
/// <param name="MaxAllocation">Per-model cap (at least 1 / models).</param>
public sealed record AllocationRequest(IReadOnlyList<string> ArtifactHashes, int Window = 20, double MaxAllocation = 0.6);
