using System.Security.Cryptography;

namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>
/// The signature scheme of the registry: ECDSA on NIST P-256 with SHA-256 over the UTF-8 artifact address, signatures in
/// IEEE P1363 form. P-256 rather than Ed25519 because it is what HSMs, PKCS#11 tokens and cloud KMS all sign with, and
/// the BCL verifies it without a native dependency.
/// </summary>
public static class SigningKeys
{
    /// <summary>The algorithm name recorded in signatures.</summary>
    public const string Algorithm = "ecdsa-p256-sha256";

    /// <summary>A key's id: the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo.</summary>
    public static string KeyId(ReadOnlySpan<byte> subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>The bytes a signature covers.</summary>
    public static byte[] Message(string hash) => System.Text.Encoding.UTF8.GetBytes(hash);

    /// <summary>True when <paramref name="signature"/> is a valid P-256 signature of <paramref name="hash"/> under the public key.</summary>
    public static bool Verify(ReadOnlySpan<byte> subjectPublicKeyInfo, string hash, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        if (key.KeySize != 256) return false;
        return key.VerifyData(Message(hash), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
