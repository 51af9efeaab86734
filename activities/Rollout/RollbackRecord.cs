namespace CroweLogic.Flow.Activities.Rollout;

/// <summary>A rollback: which guardrail broke in which stage, and the capital withdrawn.</summary>
/// <param name="Deployment">The rollout.</param>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="Stage">Stage that breached.</param>
/// <param name="Breaches">Each broken guardrail with the value seen and the limit.</param>
/// <param name="CapitalFraction">Capital withdrawn.</param>
public sealed record RollbackRecord(string Deployment, string ArtifactHash, string Stage, IReadOnlyList<string> Breaches, double CapitalFraction);
