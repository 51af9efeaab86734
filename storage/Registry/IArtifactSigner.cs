namespace CroweLogic.Flow.Storage.Registry;

/// <summary>
/// Where signing keys live. The registry never sees a private key: it hands the signer the bytes to sign and gets
/// a P-256 signature back. <see cref="KeyFileSigner"/> is for development; <see cref="CommandSigner"/> reaches an HSM,
/// PKCS#11 token or cloud KMS through its command-line tool; other providers implement this interface.
/// </summary>
public interface IArtifactSigner
{
    /// <summary>The public key, as SubjectPublicKeyInfo (DER).</summary>
    byte[] PublicKey { get; }

    /// <summary>Signs <paramref name="message"/> with ECDSA P-256 / SHA-256; the signature in IEEE P1363 form (r ‖ s, 64 bytes).</summary>
    Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken = default);
}
