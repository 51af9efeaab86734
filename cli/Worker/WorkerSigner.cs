using System.CommandLine;
using System.Security.Cryptography;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Storage.Registry;

namespace CroweLogic.Flow.Cli.Worker;

/// <summary>
/// The key a worker signs artifacts with: the development key file (<c>--signing-key</c>), or an HSM, PKCS#11 token or
/// cloud KMS reached through its command-line tool (<c>--signer-command</c> with <c>--signer-public-key</c>). A command
/// signer is proven at start-up by signing a probe and verifying it against the public key, so a wrong key, a locked
/// token or a tool that prints text instead of a DER signature stops the worker before it polls, not at the first
/// signing weeks later.
/// </summary>
internal sealed class WorkerSigner : IDisposable
{
    private const string ProbePrefix = "crowelogic.flow signer probe ";

    private WorkerSigner(IArtifactSigner signer, string description)
    {
        Signer = signer;
        Description = description;
    }

    /// <summary>The signer.</summary>
    public IArtifactSigner Signer { get; }

    /// <summary>Where the key lives, for the start-up line.</summary>
    public string Description { get; }

    /// <summary>The command-line tool that signs (stdin: the message; stdout: a DER ECDSA P-256 signature).</summary>
    public static readonly Option<string?> Command = new("--signer-command")
    {
        Description = "Sign through an HSM/PKCS#11/KMS tool instead of a key file: the command line (message on stdin, DER ECDSA P-256/SHA-256 signature on stdout), e.g. \"openssl dgst -sha256 -sign /keys/release.pem\"; needs --signer-public-key",
    };

    /// <summary>The PEM public key of the command's key.</summary>
    public static readonly Option<string?> PublicKey = new("--signer-public-key")
    {
        Description = "PEM file with the public key (SubjectPublicKeyInfo) of the --signer-command's key, as registered in the registry",
    };

    /// <summary>Opens the signer the options name: the command signer (proven by a probe signature) or the key file.</summary>
    /// <exception cref="ArgumentException">Only one of the two command-signer options, an unreadable or non-P-256 public key, an unparsable command.</exception>
    /// <remarks>The command failing on the probe, or its probe signature not verifying, is also an <see cref="ArgumentException"/>: the options name the wrong key or tool.</remarks>
    public static async Task<WorkerSigner> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (command, publicKey) = (parse.GetValue(Command), parse.GetValue(PublicKey));
        if (command is null && publicKey is null)
        {
            var file = GlobalOptions.OpenSigner(parse);
            return new WorkerSigner(file, file.Path);
        }
        if (string.IsNullOrWhiteSpace(command)) throw new ArgumentException("--signer-public-key needs --signer-command (the tool that signs with that key)");
        if (publicKey is null) throw new ArgumentException("--signer-command needs --signer-public-key (the PEM public key of the key the command signs with, as registered in the registry)");
        List<string> words;
        try
        {
            words = CommandWords.Split(command);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"--signer-command: {e.Message}", e);
        }
        if (words.Count == 0) throw new ArgumentException("--signer-command is empty");
        var signer = new CommandSigner(ReadPublicKey(publicKey), words[0], words[1..]);
        await ProveAsync(signer, command, cancellationToken).ConfigureAwait(false);
        return new WorkerSigner(signer, $"command: {command}");
    }

    /// <inheritdoc />
    public void Dispose() => (Signer as IDisposable)?.Dispose();

    /// <summary>A P-256 public key from a PEM file, as SubjectPublicKeyInfo.</summary>
    private static byte[] ReadPublicKey(string path)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--signer-public-key {path}: {e.Message}", e);
        }
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new ArgumentException($"--signer-public-key {path} holds no EC public key in PEM: {e.Message}", e);
        }
        var curve = key.ExportParameters(false).Curve;
        if (!curve.IsNamed || curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException($"--signer-public-key {path} is an EC key on curve {curve.Oid.Value ?? "(explicit parameters)"} ({curve.Oid.FriendlyName}); artifacts are signed with P-256 ({ECCurve.NamedCurves.nistP256.Oid.Value})");
        return key.ExportSubjectPublicKeyInfo();
    }

    private static async Task ProveAsync(CommandSigner signer, string command, CancellationToken cancellationToken)
    {
        // Domain-separated from artifact messages (those are "sha256:<hex>"), so the probe can never pass for an artifact signature.
        var probe = ProbePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        byte[] signature;
        try
        {
            signature = await signer.SignAsync(SigningKeys.Message(probe), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new ArgumentException($"--signer-command could not sign a probe: {e.Message}", e);
        }
        if (!SigningKeys.Verify(signer.PublicKey, probe, signature))
            throw new ArgumentException($"--signer-command signed a probe, but the signature does not verify against --signer-public-key (key {SigningKeys.KeyId(signer.PublicKey)}): the command signs with another key");
    }
}
