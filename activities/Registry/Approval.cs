namespace CroweLogic.Flow.Activities.Registry;

/// <summary>A person's approval of an artifact, recorded in the audit log.</summary>
/// <param name="ArtifactHash">What was approved.</param>
/// <param name="Approver">Who approved.</param>
/// <param name="Note">Why.</param>
public sealed record Approval(string ArtifactHash, string Approver, string Note);
