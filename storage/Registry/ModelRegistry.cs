using System.Text.Json;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Storage.Audit;

namespace CroweLogic.Flow.Storage.Registry;

/// <summary>
/// The model registry in the store: artifacts by content address, signatures, trusted keys; approvals, publication,
/// live grants and revocations as audit-log entries (who, when, what hash). Enforces the rules that do not depend on a
/// workflow: only registered artifacts are signed, only with trusted keys, never once revoked; live capital needs two
/// distinct approvers.
/// </summary>
public sealed class ModelRegistry(IFlowStore store, AuditLog audit, Func<long> clockNanos)
{
    /// <summary>Distinct approvers live capital needs.</summary>
    public const int LiveApprovers = 2;

    /// <summary>Stores an artifact (idempotent: the same content is the same address) and records the registration.</summary>
    public async Task<string> RegisterAsync(ModelArtifact artifact, string actor, CancellationToken cancellationToken = default)
    {
        var hash = artifact.Hash;
        if (await FindAsync(hash, cancellationToken).ConfigureAwait(false) is not null) return hash;
        var json = System.Text.Encoding.UTF8.GetString(CanonicalJson.Encode(artifact));
        await store.ExecuteAsync(
            $"INSERT INTO registry_artifacts (hash, name, version, pod, artifact, created_at) VALUES ({Sql.Literal(hash)}, {Sql.Literal(artifact.Name)}, {artifact.Version}, {Sql.Literal(artifact.Pod)}, {Sql.Literal(json)}, {Nanos(clockNanos())})",
            cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(actor, RegistryActions.Register, hash, Payload(new { artifact.Name, artifact.Version, artifact.Pod }), cancellationToken).ConfigureAwait(false);
        return hash;
    }

    /// <summary>The artifact at an address, or null.</summary>
    public async Task<ModelArtifact?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        var json = await ScalarAsync($"SELECT any(artifact) FROM registry_artifacts WHERE hash = {Sql.Literal(hash)} HAVING count() > 0", cancellationToken).ConfigureAwait(false);
        return json is null ? null : CanonicalJson.Decode<ModelArtifact>(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The highest version registered under a name (0 when none).</summary>
    public async Task<int> LatestVersionAsync(string name, CancellationToken cancellationToken = default) =>
        int.Parse(await ScalarAsync($"SELECT toString(max(version)) FROM registry_artifacts WHERE name = {Sql.Literal(name)}", cancellationToken).ConfigureAwait(false) ?? "0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every artifact registered under a name, oldest version first.</summary>
    public async Task<List<ModelArtifact>> ArtifactsAsync(string name, CancellationToken cancellationToken = default)
    {
        var artifacts = new List<ModelArtifact>();
        using var result = await store.QueryArrowAsync($"SELECT artifact FROM registry_artifacts FINAL WHERE name = {Sql.Literal(name)} ORDER BY version, hash", cancellationToken).ConfigureAwait(false);
        foreach (var batch in result.Batches)
        {
            var column = ColumnView.For(batch.Column(0), "artifact");
            for (var row = 0; row < batch.Length; row++) artifacts.Add(CanonicalJson.Decode<ModelArtifact>(System.Text.Encoding.UTF8.GetBytes(column.GetString(row))));
        }
        return artifacts;
    }

    /// <summary>Records the outcome of the pre-signing checks (name, passed, detail) against the artifact.</summary>
    public async Task RecordChecksAsync(string hash, IReadOnlyList<(string Name, bool Passed, string Detail)> checks, string actor, CancellationToken cancellationToken = default)
    {
        await RequireAsync(hash, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(actor, RegistryActions.Check, hash, Payload(new { checks = checks.Select(c => new { c.Name, c.Passed, c.Detail }) }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Trusts a public key for signing (idempotent).</summary>
    public async Task<string> TrustKeyAsync(byte[] publicKey, string owner, string actor, CancellationToken cancellationToken = default)
    {
        var keyId = SigningKeys.KeyId(publicKey);
        if (await ScalarAsync($"SELECT any(key_id) FROM registry_keys WHERE key_id = {Sql.Literal(keyId)} HAVING count() > 0", cancellationToken).ConfigureAwait(false) is not null) return keyId;
        await store.ExecuteAsync($"INSERT INTO registry_keys (key_id, public_key, owner, added_at) VALUES ({Sql.Literal(keyId)}, {Sql.Literal(Convert.ToBase64String(publicKey))}, {Sql.Literal(owner)}, {Nanos(clockNanos())})", cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(actor, RegistryActions.TrustKey, keyId, Payload(new { owner }), cancellationToken).ConfigureAwait(false);
        return keyId;
    }

    /// <summary>Records a person's approval.</summary>
    public async Task ApproveAsync(string hash, string approver, string note, CancellationToken cancellationToken = default)
    {
        await RequireAsync(hash, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(approver)) throw new RegistryRuleException("an approval needs the approver's name");
        await audit.AppendAsync(approver, RegistryActions.Approve, hash, Payload(new { note }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The distinct people who approved the artifact, in order of first approval.</summary>
    public async Task<IReadOnlyList<string>> ApproversAsync(string hash, CancellationToken cancellationToken = default) =>
        [.. (await EntriesAsync(hash, cancellationToken).ConfigureAwait(false)).Where(e => e.Action == RegistryActions.Approve).Select(e => e.Actor).Distinct(StringComparer.Ordinal)];

    /// <summary>Signs a registered, unrevoked artifact with a trusted key and stores the signature.</summary>
    public async Task<ArtifactSignature> SignAsync(string hash, IArtifactSigner signer, string actor, CancellationToken cancellationToken = default)
    {
        var artifact = await RequireAsync(hash, cancellationToken).ConfigureAwait(false);
        if (artifact.Hash != hash) throw new RegistryRuleException($"the stored artifact no longer hashes to {hash} (it hashes to {artifact.Hash}): the registry table was altered");
        var trust = await TrustStoreAsync(cancellationToken).ConfigureAwait(false);
        if (trust.RevokedArtifacts.TryGetValue(hash, out var revoked)) throw new RegistryRuleException($"artifact {hash} was revoked: {revoked}");
        var keyId = SigningKeys.KeyId(signer.PublicKey);
        if (!trust.Keys.ContainsKey(keyId)) throw new RegistryRuleException($"key {keyId} is not trusted by the registry: trust it first (an operator action, audited)");
        if (trust.RevokedKeys.TryGetValue(keyId, out var why)) throw new RegistryRuleException($"key {keyId} was revoked: {why}");
        var value = await signer.SignAsync(SigningKeys.Message(hash), cancellationToken).ConfigureAwait(false);
        if (!SigningKeys.Verify(signer.PublicKey, hash, value)) throw new RegistryRuleException($"the signer returned a signature that does not verify under key {keyId}");
        var signature = new ArtifactSignature(hash, keyId, SigningKeys.Algorithm, Convert.ToBase64String(value), actor, clockNanos());
        await store.ExecuteAsync(
            $"INSERT INTO registry_signatures (hash, key_id, algorithm, value, signer, signed_at) VALUES ({Sql.Literal(hash)}, {Sql.Literal(keyId)}, {Sql.Literal(signature.Algorithm)}, {Sql.Literal(signature.Value)}, {Sql.Literal(actor)}, {Nanos(signature.SignedAt)})",
            cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(actor, RegistryActions.Sign, hash, Payload(new { key_id = keyId }), cancellationToken).ConfigureAwait(false);
        return signature;
    }

    /// <summary>The artifact with its latest signature (null signature when unsigned).</summary>
    public async Task<SignedArtifact> LoadAsync(string hash, CancellationToken cancellationToken = default)
    {
        var artifact = await RequireAsync(hash, cancellationToken).ConfigureAwait(false);
        using var result = await store.QueryArrowAsync(
            $"SELECT key_id, algorithm, value, signer, toInt64(toUnixTimestamp64Nano(signed_at)) AS at FROM registry_signatures WHERE hash = {Sql.Literal(hash)} ORDER BY signed_at DESC LIMIT 1", cancellationToken).ConfigureAwait(false);
        var batch = result.Batches.FirstOrDefault(b => b.Length > 0);
        if (batch is null) return new SignedArtifact(artifact, null);
        string Text(int c) => ColumnView.For(batch.Column(c), "signature").GetString(0);
        return new SignedArtifact(artifact, new ArtifactSignature(hash, Text(0), Text(1), Text(2), Text(3), ColumnView.For(batch.Column(4), "at").GetInt64(0)));
    }

    /// <summary>Publishes a signed artifact for loading.</summary>
    public async Task PublishAsync(string hash, string actor, CancellationToken cancellationToken = default)
    {
        var signed = await LoadAsync(hash, cancellationToken).ConfigureAwait(false);
        (await TrustStoreAsync(cancellationToken).ConfigureAwait(false)).Verify(signed);
        await audit.AppendAsync(actor, RegistryActions.Publish, hash, Payload(new { signed.Artifact.Name, signed.Artifact.Version }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Grants live capital: refused unless <see cref="LiveApprovers"/> distinct people approved the artifact.</summary>
    /// <exception cref="RegistryRuleException">Too few distinct approvers, or the artifact is revoked.</exception>
    public async Task GrantLiveAsync(string hash, double capitalFraction, string actor, CancellationToken cancellationToken = default)
    {
        if (!(capitalFraction is > 0 and <= 1)) throw new RegistryRuleException($"capital fraction must be in (0, 1], got {capitalFraction}");
        await RequireNotRevokedAsync(hash, cancellationToken).ConfigureAwait(false);
        var approvers = await ApproversAsync(hash, cancellationToken).ConfigureAwait(false);
        if (approvers.Count < LiveApprovers)
        {
            throw new RegistryRuleException(
                $"live capital for {hash} needs {LiveApprovers} distinct approvers; approved by {(approvers.Count == 0 ? "nobody" : string.Join(", ", approvers))}");
        }
        await audit.AppendAsync(actor, RegistryActions.GrantLive, hash, Payload(new { capital_fraction = capitalFraction, approvers }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes an artifact: loaders refuse it from now on.</summary>
    public Task RevokeAsync(string hash, string actor, string reason, CancellationToken cancellationToken = default) =>
        audit.AppendAsync(actor, RegistryActions.Revoke, hash, Payload(new { reason }), cancellationToken);

    /// <summary>Revokes a signing key: every artifact it signed is refused from now on.</summary>
    public Task RevokeKeyAsync(string keyId, string actor, string reason, CancellationToken cancellationToken = default) =>
        audit.AppendAsync(actor, RegistryActions.RevokeKey, keyId, Payload(new { reason }), cancellationToken);

    /// <summary>Records that a loader refused an artifact.</summary>
    public Task RecordRefusalAsync(ArtifactRejectedException refusal, string loader, CancellationToken cancellationToken = default) =>
        audit.AppendAsync(loader, RegistryActions.Refused, refusal.Hash, Payload(new { reason = refusal.Reason, message = refusal.Message }), cancellationToken);

    /// <summary>Verifies and returns an artifact for loading; a refusal is audited before it is thrown.</summary>
    /// <exception cref="ArtifactRejectedException">Unsigned, tampered, unknown or revoked key, bad signature, revoked artifact.</exception>
    public async Task<ModelArtifact> VerifyForLoadAsync(SignedArtifact signed, string loader, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await TrustStoreAsync(cancellationToken).ConfigureAwait(false)).Verify(signed);
        }
        catch (ArtifactRejectedException refusal)
        {
            await RecordRefusalAsync(refusal, loader, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The trusted keys and everything revoked, as of now.</summary>
    public async Task<TrustStore> TrustStoreAsync(CancellationToken cancellationToken = default)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var result = await store.QueryArrowAsync("SELECT key_id, any(public_key) FROM registry_keys GROUP BY key_id", cancellationToken).ConfigureAwait(false))
        {
            foreach (var batch in result.Batches)
            {
                var (ids, values) = (ColumnView.For(batch.Column(0), "key_id"), ColumnView.For(batch.Column(1), "public_key"));
                for (var row = 0; row < batch.Length; row++) keys[ids.GetString(row)] = Convert.FromBase64String(values.GetString(row));
            }
        }
        var revocations = await EventTables.AuditLog.ReadAsync(store, $"action IN ({Sql.Literal(RegistryActions.Revoke)}, {Sql.Literal(RegistryActions.RevokeKey)})", "seq", cancellationToken).ConfigureAwait(false);
        var artifacts = revocations.Where(r => r.Action == RegistryActions.Revoke).GroupBy(r => r.Subject).ToDictionary(g => g.Key, g => Reason(g.First()), StringComparer.Ordinal);
        var revokedKeys = revocations.Where(r => r.Action == RegistryActions.RevokeKey).GroupBy(r => r.Subject).ToDictionary(g => g.Key, g => Reason(g.First()), StringComparer.Ordinal);
        return new TrustStore(keys, artifacts, revokedKeys);
    }

    /// <summary>The registry's audit entries for an artifact, in chain order.</summary>
    public Task<List<AuditRecord>> EntriesAsync(string hash, CancellationToken cancellationToken = default) =>
        EventTables.AuditLog.ReadAsync(store, $"subject = {Sql.Literal(hash)} AND startsWith(action, 'registry.')", "seq", cancellationToken);

    private async Task<ModelArtifact> RequireAsync(string hash, CancellationToken cancellationToken) =>
        await FindAsync(hash, cancellationToken).ConfigureAwait(false) ?? throw new RegistryRuleException($"no artifact {hash} in the registry");

    private async Task RequireNotRevokedAsync(string hash, CancellationToken cancellationToken)
    {
        if ((await TrustStoreAsync(cancellationToken).ConfigureAwait(false)).RevokedArtifacts.TryGetValue(hash, out var why)) throw new RegistryRuleException($"artifact {hash} was revoked: {why}");
    }

    private async Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        using var result = await store.QueryArrowAsync(sql, cancellationToken).ConfigureAwait(false);
        var batch = result.Batches.FirstOrDefault(b => b.Length > 0);
        return batch is null ? null : ColumnView.For(batch.Column(0), "value").GetString(0);
    }

    private static string Reason(AuditRecord record)
    {
        using var json = JsonDocument.Parse(record.Payload);
        return $"{(json.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : "no reason given")} (by {record.Actor}, audit #{record.Sequence})";
    }

    private static string Payload(object value) => JsonSerializer.Serialize(value, CanonicalJson.Options);

    private static string Nanos(long ns) => $"fromUnixTimestamp64Nano(toInt64({ns}), 'UTC')";
}
