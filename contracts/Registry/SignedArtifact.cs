namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>An artifact and its signature: what the registry publishes and the live lane loads.</summary>
/// <param name="Artifact">The artifact.</param>
/// <param name="Signature">Its signature (null: unsigned; the lane refuses it).</param>
public sealed record SignedArtifact(ModelArtifact Artifact, ArtifactSignature? Signature);
