using CroweLogic.Flow.Activities.Registry;

namespace CroweLogic.Flow.Workflows.Signing;

/// <summary>The signing workflow's result and status.</summary>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="Stage">checks, awaiting_approval, signing, published, rejected, expired.</param>
/// <param name="Checks">The pre-signing checks.</param>
/// <param name="Approvers">Distinct approvers so far.</param>
/// <param name="KeyId">Signing key, once signed.</param>
/// <param name="Reason">Why it ended as it did.</param>
public sealed record SigningOutcome(string ArtifactHash, string Stage, IReadOnlyList<SigningCheck> Checks, IReadOnlyList<string> Approvers, string? KeyId, string Reason)
{
    /// <summary>True once the artifact is signed and published.</summary>
    public bool Published => Stage == "published";
}
