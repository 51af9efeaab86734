namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>A signature over an artifact's address.</summary>
/// <param name="Hash">The artifact address signed (<see cref="ArtifactHash"/>).</param>
/// <param name="KeyId">The signing key's id (<see cref="SigningKeys.KeyId"/> of its public key).</param>
/// <param name="Algorithm">Always <see cref="SigningKeys.Algorithm"/>.</param>
/// <param name="Value">The signature, base64 (IEEE P1363: r ‖ s).</param>
/// <param name="Signer">Who asked for the signature (a person or workflow).</param>
/// <param name="SignedAt">When, ns UTC.</param>
public sealed record ArtifactSignature(string Hash, string KeyId, string Algorithm, string Value, string Signer, long SignedAt);
