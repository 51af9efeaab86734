using System.Diagnostics;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Storage.Audit;
using CroweLogic.Flow.Storage.Registry;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

/// <summary>The registry in a real embedded store: signing, approvals, live grants, revocation and refusals, all audited.</summary>
public class ModelRegistryTests
{
    private static ModelArtifact Artifact(string policy = "id: m\n") => new(
        "baseline_momentum", 1, "CR-001", policy, ["xs_momentum@1"], new Dictionary<string, string> { ["lookback"] = "252" },
        new DatasetCard("bars_1d", "1999-01-01", "2022-01-01", 500, 2_400_000, "survivors"), "gross ≤ 1.5",
        new PerformanceCard(new Dictionary<string, double> { ["sharpe"] = 0.4 }, 5000, 3, 0.8, 0.6, "sha256:x"), "1.0.0+test", "{}");

    [Fact]
    public async Task Register_sign_publish_and_load_then_refuse_after_revocation_with_an_audit_record()
    {
        using var temp = await TempStore.CreateAsync();
        using var keys = new TempDirectory();
        long clock = 1_700_000_000_000_000_000;
        var audit = new AuditLog(temp.Store, () => clock++);
        var registry = new ModelRegistry(temp.Store, audit, () => clock++);
        using var signer = KeyFileSigner.Open(Path.Combine(keys.Path, "dev.pem"), create: true);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(signer.Path));

        var hash = await registry.RegisterAsync(Artifact(), "research");
        Assert.Equal(hash, await registry.RegisterAsync(Artifact(), "research"));
        Assert.Equal(Artifact().Hash, hash);
        Assert.Equal(CanonicalJson.Encode(Artifact()), CanonicalJson.Encode((await registry.FindAsync(hash))!));
        Assert.Equal(1, await registry.LatestVersionAsync("baseline_momentum"));

        var untrusted = await Assert.ThrowsAsync<RegistryRuleException>(() => registry.SignAsync(hash, signer, "flow"));
        Assert.Contains("not trusted", untrusted.Message);
        await registry.TrustKeyAsync(signer.PublicKey, "dev", "operator");
        var signature = await registry.SignAsync(hash, signer, "flow");
        await registry.PublishAsync(hash, "flow");

        var loaded = await registry.LoadAsync(hash);
        Assert.Equal(signature, loaded.Signature);
        Assert.Equal(hash, (await registry.VerifyForLoadAsync(loaded, "lane")).Hash);

        await registry.RevokeAsync(hash, "risk", "drawdown breach in canary");
        var refused = await Assert.ThrowsAsync<ArtifactRejectedException>(() => registry.VerifyForLoadAsync(loaded, "lane"));
        Assert.Equal("revoked", refused.Reason);
        Assert.Contains("drawdown breach in canary (by risk", refused.Message);
        var signAgain = await Assert.ThrowsAsync<RegistryRuleException>(() => registry.SignAsync(hash, signer, "flow"));
        Assert.Contains("was revoked", signAgain.Message);

        var actions = (await registry.EntriesAsync(hash)).Select(e => e.Action).ToList();
        Assert.Equal([RegistryActions.Register, RegistryActions.Sign, RegistryActions.Publish, RegistryActions.Revoke, RegistryActions.Refused], actions);
        Assert.Null(await audit.VerifyAsync());
    }

    [Fact]
    public async Task Live_capital_needs_two_distinct_approvers()
    {
        using var temp = await TempStore.CreateAsync();
        long clock = 1;
        var registry = new ModelRegistry(temp.Store, new AuditLog(temp.Store, () => clock++), () => clock++);
        var hash = await registry.RegisterAsync(Artifact(), "research");

        var none = await Assert.ThrowsAsync<RegistryRuleException>(() => registry.GrantLiveAsync(hash, 0.05, "rollout"));
        Assert.Contains("approved by nobody", none.Message);
        await registry.ApproveAsync(hash, "alice", "looks fine");
        await registry.ApproveAsync(hash, "alice", "really");
        var single = await Assert.ThrowsAsync<RegistryRuleException>(() => registry.GrantLiveAsync(hash, 0.05, "rollout"));
        Assert.Equal($"live capital for {hash} needs 2 distinct approvers; approved by alice", single.Message);
        await registry.ApproveAsync(hash, "bob", "ok");
        await registry.GrantLiveAsync(hash, 0.05, "rollout");
        Assert.Equal(["alice", "bob"], await registry.ApproversAsync(hash));
        await Assert.ThrowsAsync<RegistryRuleException>(() => registry.GrantLiveAsync(hash, 1.5, "rollout"));
    }

    [Fact]
    public async Task A_command_signer_signs_through_an_external_tool_and_the_signature_verifies()
    {
        using var keys = new TempDirectory();
        var pem = Path.Combine(keys.Path, "hsm.pem");
        // openssl stands in for an HSM/KMS command line: the key stays with the tool, the signature comes back DER-encoded.
        Assert.Equal(0, Run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", pem));
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pem));
        var signer = new CommandSigner(key.ExportSubjectPublicKeyInfo(), "openssl", ["dgst", "-sha256", "-sign", pem]);
        var hash = Artifact().Hash;
        var signature = await signer.SignAsync(SigningKeys.Message(hash));
        Assert.Equal(64, signature.Length);
        Assert.True(SigningKeys.Verify(signer.PublicKey, hash, signature));
        Assert.False(SigningKeys.Verify(signer.PublicKey, Artifact("id: other\n").Hash, signature));

        var failing = new CommandSigner(signer.PublicKey, "openssl", ["dgst", "-sha256", "-sign", Path.Combine(keys.Path, "missing.pem")]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.SignAsync([1, 2, 3]));
        Assert.Contains("exited with", error.Message);
    }

    private static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
