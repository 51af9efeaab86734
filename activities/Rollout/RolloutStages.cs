namespace CroweLogic.Flow.Activities.Rollout;

/// <summary>Rollout stage names (blueprint §8): shadow trades nothing, canary a small share of capital, full the granted share.</summary>
public static class RolloutStages
{
    /// <summary>Live data, no orders routed, no capital: signal quality against the backtest expectation.</summary>
    public const string Shadow = "shadow";

    /// <summary>5–10 % of capital under hard guardrails.</summary>
    public const string Canary = "canary";

    /// <summary>The full granted share.</summary>
    public const string Full = "full";

    /// <summary>After a breach: capital withdrawn.</summary>
    public const string RolledBack = "rolled_back";
}
