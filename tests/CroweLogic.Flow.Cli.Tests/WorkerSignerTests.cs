using System.CommandLine;
using System.Security.Cryptography;
using CroweLogic.Flow.Cli.Worker;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// The worker's signer options: an HSM/KMS-style command (openssl here, an independent signer) proven at start-up, and
/// every misconfiguration refused with a message naming the option.
/// </summary>
public class WorkerSignerTests
{
    private static ParseResult Parse(params string[] args)
    {
        var root = new RootCommand();
        GlobalOptions.AddTo(root);
        root.Options.Add(WorkerSigner.Command);
        root.Options.Add(WorkerSigner.PublicKey);
        return root.Parse(args);
    }

    /// <summary>A P-256 (or other curve) key pair: private PEM for openssl, public PEM for the option.</summary>
    private static (string Private, string Public, byte[] Spki) KeyPair(string directory, string name, ECCurve? curve = null)
    {
        using var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var (priv, pub) = (Path.Combine(directory, name + ".pem"), Path.Combine(directory, name + ".pub.pem"));
        File.WriteAllText(priv, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(pub, key.ExportSubjectPublicKeyInfoPem());
        return (priv, pub, key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task A_command_signer_is_proven_at_start_and_signs_artifacts_that_verify()
    {
        using var keys = new TempDirectory("flow key dir ");
        var (priv, pub, spki) = KeyPair(keys.Path, "release");

        using var opened = await WorkerSigner.OpenAsync(Parse("--signer-command", $"openssl dgst -sha256 -sign '{priv}'", "--signer-public-key", pub), default);

        Assert.Equal(spki, opened.Signer.PublicKey);
        Assert.Equal($"command: openssl dgst -sha256 -sign '{priv}'", opened.Description);
        const string hash = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        var signature = await opened.Signer.SignAsync(SigningKeys.Message(hash));
        Assert.True(SigningKeys.Verify(spki, hash, signature));
        Assert.False(SigningKeys.Verify(spki, hash.Replace('2', '3'), signature));
    }

    [Fact]
    public async Task Without_command_options_the_worker_signs_with_the_key_file()
    {
        using var data = new TempDirectory("flow-signer-");
        var key = Path.Combine(data.Path, "dev.pem");

        using var opened = await WorkerSigner.OpenAsync(Parse("--signing-key", key), default);

        Assert.Equal(key, opened.Description);
        Assert.True(File.Exists(key));
    }

    [Fact]
    public async Task Misconfigured_command_signers_are_refused_with_the_option_named()
    {
        using var keys = new TempDirectory("flow-signer-");
        var (priv, pub, _) = KeyPair(keys.Path, "release");
        var (_, otherPub, otherSpki) = KeyPair(keys.Path, "other");
        var (_, p384Pub, _) = KeyPair(keys.Path, "p384", ECCurve.NamedCurves.nistP384);
        var notPem = Path.Combine(keys.Path, "note.txt");
        File.WriteAllText(notPem, "not a key");

        async Task<string> Refusal(params string[] args) => (await Assert.ThrowsAsync<ArgumentException>(() => WorkerSigner.OpenAsync(Parse(args), default))).Message;

        Assert.Equal("--signer-command needs --signer-public-key (the PEM public key of the key the command signs with, as registered in the registry)",
            await Refusal("--signer-command", $"openssl dgst -sha256 -sign {priv}"));
        Assert.Equal("--signer-public-key needs --signer-command (the tool that signs with that key)", await Refusal("--signer-public-key", pub));
        Assert.Equal($"--signer-command signed a probe, but the signature does not verify against --signer-public-key (key {SigningKeys.KeyId(otherSpki)}): the command signs with another key",
            await Refusal("--signer-command", $"openssl dgst -sha256 -sign {priv}", "--signer-public-key", otherPub));
        Assert.StartsWith("--signer-command could not sign a probe: signer openssl exited with 1: ",
            await Refusal("--signer-command", $"openssl dgst -sha256 -sign {Path.Combine(keys.Path, "missing.pem")}", "--signer-public-key", pub));
        Assert.StartsWith("--signer-command could not sign a probe: ", await Refusal("--signer-command", "/nonexistent/hsm-tool --sign", "--signer-public-key", pub));
        Assert.StartsWith("--signer-command could not sign a probe: signer echo did not return a DER ECDSA signature",
            await Refusal("--signer-command", "echo signed", "--signer-public-key", pub));
        Assert.Matches($@"^--signer-public-key {System.Text.RegularExpressions.Regex.Escape(p384Pub)} is an EC key on curve 1\.3\.132\.0\.34 \(.+\); artifacts are signed with P-256 \(1\.2\.840\.10045\.3\.1\.7\)$",
            await Refusal("--signer-command", $"openssl dgst -sha256 -sign {priv}", "--signer-public-key", p384Pub));
        Assert.StartsWith($"--signer-public-key {notPem} holds no EC public key in PEM: ", await Refusal("--signer-command", "openssl", "--signer-public-key", notPem));
        Assert.StartsWith($"--signer-public-key {Path.Combine(keys.Path, "absent.pem")}: ", await Refusal("--signer-command", "openssl", "--signer-public-key", Path.Combine(keys.Path, "absent.pem")));
        Assert.Equal("--signer-command: unterminated single quote at character 28 of: openssl dgst -sha256 -sign '/keys/release.pem",
            await Refusal("--signer-command", "openssl dgst -sha256 -sign '/keys/release.pem", "--signer-public-key", pub));
        Assert.Equal("--signer-public-key needs --signer-command (the tool that signs with that key)", await Refusal("--signer-command", "  ", "--signer-public-key", pub));
    }

    [Fact]
    public async Task The_worker_process_stops_before_polling_when_its_signer_does_not_match()
    {
        using var keys = new TempDirectory("flow-signer-");
        var (priv, _, _) = KeyPair(keys.Path, "release");
        var (_, otherPub, _) = KeyPair(keys.Path, "other");
        using var flow = new FlowProcess();
        // No Temporal service is named or running: the signer is checked before the worker connects to anything.
        var (exit, stdout, stderr) = await flow.RunAsync("worker", "--temporal", "127.0.0.1:1", "--signer-command", $"openssl dgst -sha256 -sign {priv}", "--signer-public-key", otherPub);

        Assert.Equal(2, exit);
        Assert.DoesNotContain("worker polling", stdout);
        Assert.Contains("flow: error: --signer-command signed a probe, but the signature does not verify against --signer-public-key", stderr);
    }

    [Theory]
    [InlineData("openssl dgst -sha256 -sign /k.pem", new[] { "openssl", "dgst", "-sha256", "-sign", "/k.pem" })]
    [InlineData("  tool   'a b'  \"c \\\" d\" e\\ f ''", new[] { "tool", "a b", "c \" d", "e f", "" })]
    [InlineData("pkcs11-tool --pin '' --label=\"release key\"", new[] { "pkcs11-tool", "--pin", "", "--label=release key" })]
    [InlineData("'$HOME' \"x\\y\"", new[] { "$HOME", "x\\y" })]
    public void Command_lines_split_into_words_without_expansion(string line, string[] words) => Assert.Equal(words, CommandWords.Split(line));

    [Theory]
    [InlineData("tool 'open", "unterminated single quote at character 6 of: tool 'open")]
    [InlineData("tool \"open", "unterminated double quote at character 6 of: tool \"open")]
    [InlineData("tool end\\", "trailing backslash in: tool end\\")]
    public void Unbalanced_command_lines_are_refused(string line, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => CommandWords.Split(line)).Message);
}
