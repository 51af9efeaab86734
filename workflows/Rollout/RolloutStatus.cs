using CroweLogic.Flow.Activities.Rollout;

namespace CroweLogic.Flow.Workflows.Rollout;

/// <summary>A rollout's status (query) and result.</summary>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="Stage">Current stage: pending, shadow, canary, full, completed, rolled_back, aborted, refused.</param>
/// <param name="CapitalFraction">Capital currently granted.</param>
/// <param name="Paused">Whether a pause signal holds it.</param>
/// <param name="Reports">Every finished stage's KPIs.</param>
/// <param name="Reason">Why it is where it is.</param>
/// <param name="LaneQueue">The task queue of the worker whose lane runs the stages (an incident's stand-down and flatten go there).</param>
public sealed record RolloutStatus(string ArtifactHash, string Stage, double CapitalFraction, bool Paused, IReadOnlyList<StageReport> Reports, string Reason, string? LaneQueue = null)
{
    /// <summary>True when a guardrail breach withdrew the capital.</summary>
    public bool RolledBack => Stage == RolloutStages.RolledBack;
}
