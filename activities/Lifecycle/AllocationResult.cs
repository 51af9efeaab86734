namespace CroweLogic.Flow.Activities.Lifecycle;

/// <summary>The meta-allocator's weights, with each arm's CVaR and the sessions it learned from.</summary>
/// <param name="Weights">Capital weight per model (sums to one).</param>
/// <param name="Cvar">Empirical CVaR per model (mean loss of the worst 5 % of its sessions; 0 before enough sessions).</param>
/// <param name="Sessions">Sessions every model traded (the bandit's rounds).</param>
public sealed record AllocationResult(IReadOnlyDictionary<string, double> Weights, IReadOnlyDictionary<string, double> Cvar, int Sessions);
