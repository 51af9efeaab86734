namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>An artifact failed verification where it was to be loaded.</summary>
/// <param name="reason">Machine-readable reason: unsigned, tampered, wrong_artifact, unknown_key, bad_signature, revoked, key_revoked, algorithm.</param>
/// <param name="hash">The address the artifact's content has.</param>
/// <param name="message">What is wrong, for a person.</param>
public sealed class ArtifactRejectedException(string reason, string hash, string message) : Exception(message)
{
    /// <summary>Machine-readable reason.</summary>
    public string Reason { get; } = reason;

    /// <summary>The address the artifact's content has (recomputed, not the claimed one).</summary>
    public string Hash { get; } = hash;
}
