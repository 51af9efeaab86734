namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Volume-weighted: the target follows the cumulative intraday volume profile (fractions per equal time bucket of the
/// window, e.g. from historical 1-minute bars), interpolated linearly inside a bucket.
/// </summary>
public sealed class VwapAlgorithm : ExecutionAlgorithm
{
    private readonly double[] _cumulative;

    /// <summary>A VWAP following <paramref name="volumeProfile"/> (non-negative weights per bucket; normalised here).</summary>
    /// <exception cref="ArgumentException">The profile is empty, negative or sums to zero.</exception>
    public VwapAlgorithm(ParentOrder parent, IReadOnlyList<double> volumeProfile, AlgoLimits? limits = null, int seed = 0) : base(parent, limits ?? new AlgoLimits(), seed)
    {
        if (volumeProfile.Count == 0 || volumeProfile.Any(v => !(v >= 0) || double.IsInfinity(v))) throw new ArgumentException("the volume profile needs non-negative, finite weights");
        var total = volumeProfile.Sum();
        if (!(total > 0)) throw new ArgumentException("the volume profile sums to zero");
        _cumulative = new double[volumeProfile.Count + 1];
        for (var i = 0; i < volumeProfile.Count; i++) _cumulative[i + 1] = _cumulative[i] + volumeProfile[i] / total;
    }

    /// <summary>Fraction of the day's volume expected by the fraction <paramref name="elapsed"/> of the window.</summary>
    public double ProfileAt(double elapsed)
    {
        var buckets = _cumulative.Length - 1;
        var position = Math.Clamp(elapsed, 0, 1) * buckets;
        var i = Math.Min(buckets - 1, (int)position);
        return _cumulative[i] + (position - i) * (_cumulative[i + 1] - _cumulative[i]);
    }

    /// <inheritdoc />
    public override long TargetFilled(long ts, in MarketSnapshot market) => (long)Math.Round(Parent.Quantity * ProfileAt(Elapsed(ts)));
}
