namespace CroweLogic.Flow.Dataflow.Features;

/// <summary>
/// A named, versioned list of features: the lineage key (<c>name@version</c>) every feature vector carries, so a model
/// trained offline is served exactly the features it was trained on.
/// </summary>
/// <param name="Name">Set name.</param>
/// <param name="Version">Version; any change to the features needs a new one.</param>
/// <param name="Features">The features, in vector order.</param>
public sealed record FeatureSet(string Name, int Version, IReadOnlyList<FeatureDefinition> Features)
{
    /// <summary>name@version.</summary>
    public string Id => $"{Name}@{Version}";

    /// <summary>Builds a set from feature specs.</summary>
    /// <exception cref="ArgumentException">A spec is invalid or repeated, or the set is empty.</exception>
    public static FeatureSet Of(string name, int version, params string[] specs)
    {
        if (version < 1) throw new ArgumentException($"feature set {name}: version must be positive");
        var features = specs.Select(FeatureDefinition.Parse).ToList();
        if (features.Count == 0) throw new ArgumentException($"feature set {name}@{version} has no features");
        var repeated = features.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"feature set {name}@{version} lists {repeated.Key} twice");
        return new FeatureSet(name, version, features);
    }

    /// <summary>The longest quote window any feature needs.</summary>
    internal int QuoteHistory => Features.Where(f => f.Kind is FeatureKind.MidReturn or FeatureKind.RealizedVol).Select(f => f.Window).DefaultIfEmpty(0).Max();

    /// <summary>The longest realized-volatility window.</summary>
    internal int VolHistory => Features.Where(f => f.Kind == FeatureKind.RealizedVol).Select(f => f.Window).DefaultIfEmpty(0).Max();

    /// <summary>The longest dollar-volume window.</summary>
    internal int VolumeHistory => Features.Where(f => f.Kind == FeatureKind.DollarVolume).Select(f => f.Window).DefaultIfEmpty(0).Max();

    /// <summary>The longest trade-intensity window, nanoseconds.</summary>
    internal long IntensityNanos => Features.Where(f => f.Kind == FeatureKind.TradeIntensity).Select(f => (long)f.Window).DefaultIfEmpty(0).Max() * 1_000_000_000L;
}
