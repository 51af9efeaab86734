using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Blueprint §12 FeatureVector: feature values for one instrument at one instant and horizon.</summary>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="AsOf">Time the values are valid at, ns UTC.</param>
/// <param name="Horizon">Forecast horizon the features serve, e.g. 1m, 5m, 1h, 1d.</param>
/// <param name="FeatureSet">Versioned feature-set id (name@version) the values were computed by: the lineage key.</param>
/// <param name="Names">Feature names, parallel to <paramref name="Values"/>.</param>
/// <param name="Values">Feature values.</param>
/// <param name="LagMs">Quality: how far the newest input lagged <paramref name="AsOf"/>, in ms.</param>
/// <param name="Coverage">Quality: fraction of inputs present, 0..1.</param>
public sealed record FeatureVector(string Instrument, long AsOf, string Horizon, string FeatureSet, IReadOnlyList<string> Names, IReadOnlyList<double> Values, long LagMs, double Coverage)
{
    /// <summary>The value of a named feature.</summary>
    public double this[string name]
    {
        get
        {
            for (var i = 0; i < Names.Count; i++) if (Names[i] == name) return Values[i];
            throw new KeyNotFoundException($"feature '{name}' is not in {FeatureSet} for {Instrument}");
        }
    }

    /// <summary>Content equality (the lists are compared element by element; NaN equals NaN).</summary>
    public bool Equals(FeatureVector? other) =>
        other is not null && Instrument == other.Instrument && AsOf == other.AsOf && Horizon == other.Horizon && FeatureSet == other.FeatureSet
        && LagMs == other.LagMs && Coverage.Equals(other.Coverage) && Names.SequenceEqual(other.Names) && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Instrument, AsOf, Horizon, FeatureSet, Names.Count);

    /// <summary>The feature vector schema and its batch conversion.</summary>
    public static ArrowRecordCodec<FeatureVector> Arrow { get; } = new("feature_vector",
    [
        Col.Utf8<FeatureVector>("instrument", r => r.Instrument),
        Col.Time<FeatureVector>("asof", r => r.AsOf),
        Col.Utf8<FeatureVector>("horizon", r => r.Horizon),
        Col.Utf8<FeatureVector>("feature_set", r => r.FeatureSet),
        Col.Utf8List<FeatureVector>("names", r => r.Names),
        Col.Float64List<FeatureVector>("values", r => r.Values),
        Col.Int64<FeatureVector>("lag_ms", r => r.LagMs),
        Col.Float64<FeatureVector>("coverage", r => r.Coverage),
    ], r => new FeatureVector(r.Utf8(0), r.Int64(1), r.Utf8(2), r.Utf8(3), r.Utf8List(4), r.Float64List(5), r.Int64(6), r.Float64(7)));
}
