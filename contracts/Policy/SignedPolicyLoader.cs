using CroweLogic.Flow.Contracts.Registry;

namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>
/// The live lane's only door for registry artifacts: the artifact is verified against the trust store (signed, untampered,
/// trusted and unrevoked key, not revoked) before its policy file is even parsed.
/// </summary>
public static class SignedPolicyLoader
{
    /// <summary>The verified artifact's policy.</summary>
    /// <exception cref="ArtifactRejectedException">The artifact fails verification; nothing of it was used.</exception>
    /// <exception cref="PolicyException">The signed policy file is invalid.</exception>
    public static TradingPolicy Load(SignedArtifact signed, TrustStore trust)
    {
        var artifact = trust.Verify(signed);
        return PolicyLoader.Parse(artifact.PolicyYaml, $"artifact {artifact.Name} v{artifact.Version} ({artifact.Hash})");
    }
}
