using System.Security.Cryptography;
using CroweLogic.Flow.Contracts.Registry;

namespace CroweLogic.Flow.Contracts.Tests;

/// <summary>Canonical encoding, content addresses and load-time verification of registry artifacts.</summary>
public class RegistryContractTests
{
    internal static ModelArtifact Sample(string policy = "id: m\n", Dictionary<string, double>? kpis = null) => new(
        "m", 1, "CR-001", policy, ["xs_momentum@1", "mom:252"],
        new Dictionary<string, string> { ["skip"] = "21", ["lookback"] = "252" },
        new DatasetCard("bars_1d", "2020-01-01", "2021-01-01", 2, 1000, "survivors only"),
        "gross ≤ 1.5",
        new PerformanceCard(kpis ?? new Dictionary<string, double> { ["total_return"] = 1.5, ["sharpe"] = double.NaN, ["max_drawdown"] = -0.1 }, 252, 4, 0.9, 0.25, "abc"),
        "1.0.0+abc", "{\"id\":\"m\"}");

    [Fact]
    public void The_canonical_encoding_sorts_keys_at_every_depth_and_hashes_like_an_independent_implementation()
    {
        // Expected text and digest from Python: json.dumps(..., sort_keys=True, separators=(',', ':'), ensure_ascii=False) and hashlib.sha256.
        const string expected = """{"dataset":{"from":"2020-01-01","instruments":2,"notes":"survivors only","rows":1000,"source":"bars_1d","to":"2021-01-01"},"engine_version":"1.0.0+abc","feature_spec":["xs_momentum@1","mom:252"],"name":"m","performance":{"backtest_hash":"abc","deflated_sharpe":0.25,"kpis":{"max_drawdown":-0.1,"sharpe":"NaN","total_return":1.5},"probabilistic_sharpe":0.9,"sessions":252,"trials":4},"pod":"CR-001","policy_yaml":"id: m\n","resolved_policy":"{\"id\":\"m\"}","risk_notes":"gross ≤ 1.5","training_parameters":{"lookback":"252","skip":"21"},"version":1}""";
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(CanonicalJson.Encode(Sample())));
        Assert.Equal("sha256:ffbc0fe6039f0e26ca5d6ebe02405655f8cf9e8f68fdf37a01001173d3d23106", Sample().Hash);
        Assert.True(ArtifactHash.IsWellFormed(Sample().Hash));
    }

    [Fact]
    public void Dictionary_order_does_not_change_the_address_and_a_decoded_artifact_re_encodes_identically()
    {
        var reordered = Sample(kpis: new Dictionary<string, double> { ["max_drawdown"] = -0.1, ["total_return"] = 1.5, ["sharpe"] = double.NaN });
        Assert.Equal(Sample().Hash, reordered.Hash);
        var decoded = CanonicalJson.Decode<ModelArtifact>(CanonicalJson.Encode(Sample()));
        Assert.Equal(CanonicalJson.Encode(Sample()), CanonicalJson.Encode(decoded));
        Assert.NotEqual(Sample().Hash, Sample(policy: "id: m2\n").Hash);
    }

    [Fact]
    public void Decoding_refuses_unknown_and_missing_fields_naming_them()
    {
        var unknown = Assert.ThrowsAny<System.Text.Json.JsonException>(() => CanonicalJson.Decode<DatasetCard>("""{"source":"s","from":"a","to":"b","instruments":1,"rows":1,"notes":"","extra":1}"""u8));
        Assert.Contains("extra", unknown.Message);
        var missing = Assert.ThrowsAny<System.Text.Json.JsonException>(() => CanonicalJson.Decode<DatasetCard>("""{"source":"s","from":"a","to":"b","instruments":1,"rows":1}"""u8));
        Assert.Contains("notes", missing.Message);
    }

    [Fact]
    public void Verification_accepts_a_signed_artifact_and_refuses_each_kind_of_bad_one_with_its_reason()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = key.ExportSubjectPublicKeyInfo();
        var trust = TrustStore.Of(publicKey);
        var artifact = Sample();
        var signed = new SignedArtifact(artifact, Sign(key, artifact.Hash));
        Assert.Same(artifact, trust.Verify(signed));

        Assert.Equal("unsigned", Refusal(trust, signed with { Signature = null }).Reason);
        var tampered = Refusal(trust, signed with { Artifact = artifact with { PolicyYaml = "id: m\nrisk: {gross_limit: 9}\n" } });
        Assert.Equal("tampered", tampered.Reason);
        Assert.Contains(signed.Signature!.Hash, tampered.Message);
        // A forger who also rewrites the signed hash needs the private key.
        var forgedContent = artifact with { PolicyYaml = "id: evil\n" };
        Assert.Equal("bad_signature", Refusal(trust, new SignedArtifact(forgedContent, signed.Signature with { Hash = forgedContent.Hash })).Reason);
        Assert.Equal("unknown_key", Refusal(trust, new SignedArtifact(artifact, Sign(other, artifact.Hash))).Reason);
        var impostor = Sign(other, artifact.Hash) with { KeyId = SigningKeys.KeyId(publicKey) };
        Assert.Equal("bad_signature", Refusal(trust, new SignedArtifact(artifact, impostor)).Reason);
        Assert.Equal("algorithm", Refusal(trust, signed with { Signature = signed.Signature with { Algorithm = "none" } }).Reason);
        var revoked = trust with { RevokedArtifacts = new Dictionary<string, string> { [artifact.Hash] = "drift" } };
        Assert.Contains("was revoked: drift", Refusal(revoked, signed).Message);
        var keyRevoked = trust with { RevokedKeys = new Dictionary<string, string> { [SigningKeys.KeyId(publicKey)] = "laptop lost" } };
        Assert.Equal("key_revoked", Refusal(keyRevoked, signed).Reason);
    }

    internal static ArtifactSignature Sign(ECDsa key, string hash) => new(hash, SigningKeys.KeyId(key.ExportSubjectPublicKeyInfo()), SigningKeys.Algorithm,
        Convert.ToBase64String(key.SignData(SigningKeys.Message(hash), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), "test", 1);

    private static ArtifactRejectedException Refusal(TrustStore trust, SignedArtifact signed) => Assert.Throws<ArtifactRejectedException>(() => trust.Verify(signed));
}
