using CroweLogic.Flow.Contracts.Registry;

namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>
/// The live lane's only door for registry artifacts: the artifact is verified against the trust store (signed, untampered,
/// trusted and unrevoked key, not revoked) before its policy file is even parsed; then the policy this engine resolves
/// from the file, defaults included, must be the one the artifact recorded when it was signed.
/// </summary>
public static class SignedPolicyLoader
{
    /// <summary>The verified artifact's policy.</summary>
    /// <exception cref="ArtifactRejectedException">The artifact fails verification; nothing of it was used.</exception>
    /// <exception cref="PolicyException">The signed policy file is invalid.</exception>
    public static TradingPolicy Load(SignedArtifact signed, TrustStore trust)
    {
        var artifact = trust.Verify(signed);
        var policy = PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {artifact.Name} v{artifact.Version} ({artifact.Hash})");
        if (ResolvedPolicy.Of(policy) != artifact.ResolvedPolicy)
            throw new ArtifactRejectedException("defaults_changed", artifact.Hash,
                $"artifact {artifact.Name} v{artifact.Version} ({artifact.Hash}) was resolved by engine {artifact.EngineVersion}; this engine ({EngineVersion.Current}) resolves its policy file to other settings, so the signed model would not behave as approved: re-register and sign it under this engine");
        return policy;
    }
}
