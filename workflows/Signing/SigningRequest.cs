namespace CroweLogic.Flow.Workflows.Signing;

/// <summary>Take a candidate through checks and approvals to a signed, published artifact.</summary>
/// <param name="ArtifactHash">The registered candidate.</param>
/// <param name="RequiredApprovers">Distinct approvers needed before signing (live capital needs two).</param>
/// <param name="ApprovalTimeout">How long to wait for approvals before giving up.</param>
public sealed record SigningRequest(string ArtifactHash, int RequiredApprovers, TimeSpan ApprovalTimeout);
