namespace CroweLogic.Flow.Quant.Regime;

/// <summary>What the crash sentinel asks of the risk overlay.</summary>
public enum SentinelAction
{
    /// <summary>No action.</summary>
    Normal,

    /// <summary>Halve gross exposure.</summary>
    HalveExposure,

    /// <summary>Flatten everything and raise the kill switch.</summary>
    Flatten,
}

/// <summary>One reading of the sentinel's inputs.</summary>
/// <param name="LagOneAutocorrelation">Lag-1 autocorrelation of recent returns (rising before crashes: critical slowing down).</param>
/// <param name="Variance">Variance of recent returns.</param>
/// <param name="BookImbalance">Order-book imbalance, sign chosen so that higher means more selling pressure.</param>
/// <param name="Turbulence">Turbulence index (Mahalanobis distance of today's cross-section).</param>
public readonly record struct SentinelReading(double LagOneAutocorrelation, double Variance, double BookImbalance, double Turbulence);

/// <summary>The sentinel's verdict with the per-component z-scores that produced it.</summary>
/// <param name="Score">Sum of the component z-scores.</param>
/// <param name="ZScores">z of autocorrelation, variance, imbalance and turbulence against their history.</param>
/// <param name="Action">The overlay action.</param>
public sealed record SentinelAssessment(double Score, double[] ZScores, SentinelAction Action);

/// <summary>
/// The complex-systems crash sentinel of blueprint §17.3: each early-warning input is z-scored against its own history,
/// the z-scores are summed, and thresholds ζ_hi / ζ_kill map the score to halving exposure or flattening.
/// </summary>
public sealed class CrashSentinel(double halveThreshold = 4, double flattenThreshold = 8)
{
    /// <summary>Assesses the current reading against a history of past readings.</summary>
    /// <exception cref="QuantInputException">Too little history, a constant input, thresholds out of order, or non-finite values.</exception>
    public SentinelAssessment Assess(SentinelReading current, IReadOnlyList<SentinelReading> history)
    {
        if (!(flattenThreshold > halveThreshold)) throw new QuantInputException("the flatten threshold must exceed the halve threshold");
        if (history.Count < 20) throw new QuantInputException($"the sentinel needs at least 20 past readings to z-score against, got {history.Count}");
        Func<SentinelReading, double>[] components = [r => r.LagOneAutocorrelation, r => r.Variance, r => r.BookImbalance, r => r.Turbulence];
        string[] names = ["autocorrelation", "variance", "book imbalance", "turbulence"];
        var z = new double[components.Length];
        var observed = 0;
        for (var c = 0; c < components.Length; c++)
        {
            var values = history.Select(components[c]).ToArray();
            var now = components[c](current);
            // A market without an order book (daily bars) has no imbalance: an input absent now and throughout the
            // history is left out (z = 0); one that is absent only sometimes is bad data.
            if (double.IsNaN(now) && values.All(double.IsNaN)) continue;
            if (!double.IsFinite(now) || values.Any(v => !double.IsFinite(v))) throw new QuantInputException($"the {names[c]} input holds a non-finite value");
            observed++;
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            if (sd == 0) throw new QuantInputException($"the {names[c]} history is constant: its z-score is undefined");
            z[c] = (now - mean) / sd;
        }
        if (observed == 0) throw new QuantInputException("the sentinel has no observed input");
        var score = z.Sum();
        var action = score > flattenThreshold ? SentinelAction.Flatten : score > halveThreshold ? SentinelAction.HalveExposure : SentinelAction.Normal;
        return new SentinelAssessment(score, z, action);
    }

    /// <summary>Lag-1 autocorrelation of a series (sample estimator).</summary>
    public static double LagOneAutocorrelation(IReadOnlyList<double> series)
    {
        if (series.Count < 3) throw new QuantInputException("autocorrelation needs at least three values");
        var mean = series.Average();
        double numerator = 0, denominator = 0;
        for (var t = 0; t < series.Count; t++)
        {
            denominator += (series[t] - mean) * (series[t] - mean);
            if (t > 0) numerator += (series[t] - mean) * (series[t - 1] - mean);
        }
        return denominator == 0 ? throw new QuantInputException("the series is constant: autocorrelation undefined") : numerator / denominator;
    }
}
