namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>
/// What a loader trusts: the public keys allowed to sign artifacts (by key id), and what has been revoked since
/// (artifacts by address, keys by id). Built from the registry at load time; immutable.
/// </summary>
/// <param name="Keys">Key id → SubjectPublicKeyInfo bytes.</param>
/// <param name="RevokedArtifacts">Artifact address → why it was revoked.</param>
/// <param name="RevokedKeys">Key id → why it was revoked.</param>
public sealed record TrustStore(IReadOnlyDictionary<string, byte[]> Keys, IReadOnlyDictionary<string, string> RevokedArtifacts, IReadOnlyDictionary<string, string> RevokedKeys)
{
    /// <summary>Trusts the given public keys and nothing is revoked.</summary>
    public static TrustStore Of(params byte[][] publicKeys) =>
        new(publicKeys.ToDictionary(k => SigningKeys.KeyId(k), k => k), new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>
    /// Checks a signed artifact and returns its artifact; the checks run in the order a forger would have to beat them:
    /// signed at all, content matching the signed address, a known and unrevoked key, a valid signature, the artifact not
    /// revoked.
    /// </summary>
    /// <exception cref="ArtifactRejectedException">Any check fails; the message says which and with what values.</exception>
    public ModelArtifact Verify(SignedArtifact signed)
    {
        var actual = ArtifactHash.Of(signed.Artifact);
        var name = $"{signed.Artifact.Name} v{signed.Artifact.Version}";
        if (signed.Signature is not { } signature) throw new ArtifactRejectedException("unsigned", actual, $"artifact {name} ({actual}) is not signed: only signed artifacts load");
        if (signature.Hash != actual)
        {
            throw new ArtifactRejectedException("tampered", actual,
                $"artifact {name} was altered after signing: its content hashes to {actual}, the signature covers {signature.Hash}");
        }
        if (signature.Algorithm != SigningKeys.Algorithm) throw new ArtifactRejectedException("algorithm", actual, $"artifact {name} ({actual}) is signed with {signature.Algorithm}; only {SigningKeys.Algorithm} is accepted");
        if (RevokedKeys.TryGetValue(signature.KeyId, out var keyWhy)) throw new ArtifactRejectedException("key_revoked", actual, $"artifact {name} ({actual}) is signed by key {signature.KeyId}, which was revoked: {keyWhy}");
        if (!Keys.TryGetValue(signature.KeyId, out var key)) throw new ArtifactRejectedException("unknown_key", actual, $"artifact {name} ({actual}) is signed by key {signature.KeyId}, which is not trusted here");
        byte[] value;
        try
        {
            value = Convert.FromBase64String(signature.Value);
        }
        catch (FormatException)
        {
            throw new ArtifactRejectedException("bad_signature", actual, $"artifact {name} ({actual}): the signature is not base64");
        }
        if (!SigningKeys.Verify(key, actual, value)) throw new ArtifactRejectedException("bad_signature", actual, $"artifact {name} ({actual}): the signature does not verify under key {signature.KeyId}");
        if (RevokedArtifacts.TryGetValue(actual, out var why)) throw new ArtifactRejectedException("revoked", actual, $"artifact {name} ({actual}) was revoked: {why}");
        return signed.Artifact;
    }
}
