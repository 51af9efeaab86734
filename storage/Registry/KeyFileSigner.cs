using System.Security.Cryptography;

namespace CroweLogic.Flow.Storage.Registry;

/// <summary>
/// A development signer: a P-256 private key in a PEM file (PKCS#8), created with owner-only permissions when missing.
/// Not for production keys: anyone who can read the file can sign.
/// </summary>
public sealed class KeyFileSigner : IArtifactSigner, IDisposable
{
    private readonly ECDsa _key;

    private KeyFileSigner(ECDsa key, string path)
    {
        _key = key;
        Path = path;
        PublicKey = key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The key file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public byte[] PublicKey { get; }

    /// <summary>Loads the key at <paramref name="path"/>, or creates one there (mode 600) when <paramref name="create"/> and it is missing.</summary>
    /// <exception cref="InvalidOperationException">The file is missing (and not to be created), or is not a P-256 private key.</exception>
    public static KeyFileSigner Open(string path, bool create = false)
    {
        if (!File.Exists(path))
        {
            if (!create) throw new InvalidOperationException($"signing key {path} does not exist");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options)) writer.Write(fresh.ExportPkcs8PrivateKeyPem());
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"signing key {path} is not a PEM EC private key: {e.Message}", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"signing key {path} is a {key.KeySize}-bit EC key; the registry signs with P-256");
        }
        return new KeyFileSigner(key, path);
    }

    /// <inheritdoc />
    public Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken = default) =>
        Task.FromResult(_key.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}
