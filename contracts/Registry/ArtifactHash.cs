using System.Security.Cryptography;

namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>Content addresses of registry artifacts: <c>sha256:</c> and 64 lowercase hex digits.</summary>
public static class ArtifactHash
{
    /// <summary>The prefix naming the digest.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The address of an artifact: SHA-256 over its canonical encoding.</summary>
    public static string Of(ModelArtifact artifact) => Prefix + Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Encode(artifact)));

    /// <summary>True when <paramref name="text"/> has the form of an address.</summary>
    public static bool IsWellFormed(string text) =>
        text.Length == Prefix.Length + 64 && text.StartsWith(Prefix, StringComparison.Ordinal) && !text.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef");
}
