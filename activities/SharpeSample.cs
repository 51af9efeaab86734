using CroweLogic.Flow.Quant.Risk;
using CroweLogic.Flow.Quant.Statistics;

namespace CroweLogic.Flow.Activities;

/// <summary>A return sample's per-period Sharpe ratio with the higher moments the PSR and DSR need.</summary>
/// <param name="Sharpe">Mean over standard deviation, per period.</param>
/// <param name="Skewness">Skewness.</param>
/// <param name="Kurtosis">Kurtosis (normal = 3).</param>
/// <param name="Observations">Returns in the sample.</param>
internal readonly record struct SharpeSample(double Sharpe, double Skewness, double Kurtosis, int Observations)
{
    /// <summary>The sample's statistics, or null where they are undefined (fewer than three returns, no variance).</summary>
    public static SharpeSample? Of(IReadOnlyList<double> returns)
    {
        if (returns.Count < 3) return null;
        var (mean, sd, skew, excess) = TailRisk.Moments(returns);
        return sd > 0 && double.IsFinite(skew) && double.IsFinite(excess) ? new SharpeSample(mean / sd, skew, excess + 3, returns.Count) : null;
    }

    /// <summary>P(true Sharpe &gt; <paramref name="benchmark"/>), or null where undefined.</summary>
    public double? ProbabilisticSharpe(double benchmark = 0)
    {
        var s = this;
        return DefinedStatistic.Of(() => Performance.ProbabilisticSharpe(s.Sharpe, benchmark, s.Observations, s.Skewness, s.Kurtosis));
    }
}
