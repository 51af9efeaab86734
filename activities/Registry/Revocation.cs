namespace CroweLogic.Flow.Activities.Registry;

/// <summary>Revokes an artifact: loaders refuse it from then on.</summary>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="Reason">Why (kept in the audit log and in every later refusal).</param>
public sealed record Revocation(string ArtifactHash, string Reason);
