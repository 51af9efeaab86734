using System.Diagnostics;
using System.Formats.Asn1;

namespace CroweLogic.Flow.Storage.Registry;

/// <summary>
/// Signs through an external tool, the way HSMs, PKCS#11 tokens and cloud KMS are reached from a shell: the message goes
/// to the command's stdin and a DER-encoded ECDSA signature comes back on stdout (what <c>openssl dgst -sha256 -sign</c>,
/// <c>pkcs11-tool --sign --mechanism ECDSA-SHA256 --signature-format openssl</c> and KMS CLIs with binary output give).
/// The private key never enters this process.
/// </summary>
/// <param name="publicKey">The key's SubjectPublicKeyInfo (DER), registered in the registry beforehand.</param>
/// <param name="fileName">The program.</param>
/// <param name="arguments">Its arguments.</param>
public sealed class CommandSigner(byte[] publicKey, string fileName, IReadOnlyList<string> arguments) : IArtifactSigner
{
    /// <inheritdoc />
    public byte[] PublicKey => publicKey;

    /// <inheritdoc />
    public async Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start signer {fileName}");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading the message (a broken pipe); its exit code and output say why, below.
        }
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await copy.ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"signer {fileName} exited with {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}");
        return FromDer(output.ToArray(), fileName);
    }

    /// <summary>An ASN.1 ECDSA-Sig-Value (SEQUENCE of r, s) as IEEE P1363 r ‖ s for P-256.</summary>
    internal static byte[] FromDer(byte[] der, string source)
    {
        try
        {
            var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var r = sequence.ReadIntegerBytes().Span.TrimStart((byte)0);
            var s = sequence.ReadIntegerBytes().Span.TrimStart((byte)0);
            sequence.ThrowIfNotEmpty();
            if (r.Length > 32 || s.Length > 32) throw new AsnContentException("an integer is longer than 32 bytes: not a P-256 signature");
            var p1363 = new byte[64];
            r.CopyTo(p1363.AsSpan(32 - r.Length));
            s.CopyTo(p1363.AsSpan(64 - s.Length));
            return p1363;
        }
        catch (AsnContentException e)
        {
            throw new InvalidOperationException($"signer {source} did not return a DER ECDSA signature ({der.Length} bytes): {e.Message}", e);
        }
    }
}
