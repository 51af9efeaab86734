namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>
/// A model/policy artifact as the registry stores it (blueprint §3, §5): everything needed to load, review and reproduce
/// it. Its identity is <see cref="ArtifactHash"/> over <see cref="CanonicalJson"/>: change any field and it is another
/// artifact.
/// </summary>
/// <param name="Name">Strategy name, e.g. baseline_momentum.</param>
/// <param name="Version">Version within the name, from 1.</param>
/// <param name="Pod">The research pod that produced it.</param>
/// <param name="PolicyYaml">The policy file (blueprint Appendix A) the live lane runs.</param>
/// <param name="FeatureSpec">The feature set id (name@version) and its feature names.</param>
/// <param name="TrainingParameters">Parameters chosen in research (name → value, as text).</param>
/// <param name="Dataset">The data card.</param>
/// <param name="RiskNotes">Risk caps and known risks, in words, for the approvers.</param>
/// <param name="Performance">The performance card.</param>
/// <param name="EngineVersion">The engine that resolved the policy (<see cref="Registry.EngineVersion.Current"/>).</param>
/// <param name="ResolvedPolicy">The policy with every default filled in (<see cref="Policy.ResolvedPolicy.Of"/>).</param>
public sealed record ModelArtifact(
    string Name,
    int Version,
    string Pod,
    string PolicyYaml,
    IReadOnlyList<string> FeatureSpec,
    IReadOnlyDictionary<string, string> TrainingParameters,
    DatasetCard Dataset,
    string RiskNotes,
    PerformanceCard Performance,
    string EngineVersion,
    string ResolvedPolicy)
{
    /// <summary>The content address: sha256 of the canonical encoding (not itself part of it).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Hash => ArtifactHash.Of(this);
}
