using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Quant.Risk;

/// <summary>
/// Value at Risk and Expected Shortfall of a return series at confidence α (e.g. 0.95), reported as positive losses.
/// </summary>
public static class TailRisk
{
    /// <summary>Historical VaR by <paramref name="convention"/>: by default minus the (1−α) empirical quantile (linear interpolation between order statistics).</summary>
    public static double HistoricalVaR(IReadOnlyList<double> returns, double confidence = 0.95, TailConvention convention = TailConvention.Interpolated)
    {
        var sorted = Sorted(returns);
        Check(confidence);
        if (convention == TailConvention.OrderStatistic) return -sorted[TailIndex(sorted.Length, confidence, out _)];
        return -Quantile(sorted, 1 - confidence);
    }

    /// <summary>Historical ES by <paramref name="convention"/>: by default minus the mean of the returns at or below the (1−α) quantile.</summary>
    public static double HistoricalES(IReadOnlyList<double> returns, double confidence = 0.95, TailConvention convention = TailConvention.Interpolated)
    {
        var sorted = Sorted(returns);
        Check(confidence);
        if (convention == TailConvention.OrderStatistic)
        {
            var i = TailIndex(sorted.Length, confidence, out var k);
            double sum = 0;
            for (var j = 0; j < i; j++) sum += sorted[j];
            return -(sum + (k - i) * sorted[i]) / k;
        }
        var threshold = Quantile(sorted, 1 - confidence);
        var tail = sorted.TakeWhile(r => r <= threshold).ToArray();
        return -(tail.Length == 0 ? sorted[0] : tail.Average());
    }

    // skfolio's tail index: k = (1 − α)·T in floating point, as it computes it, and i = max(0, ⌈k⌉ − 1).
    private static int TailIndex(int count, double confidence, out double k)
    {
        k = (1 - confidence) * count;
        return Math.Max(0, (int)Math.Ceiling(k) - 1);
    }

    /// <summary>Gaussian VaR: −(μ + σ·z₁₋α) with sample mean and standard deviation.</summary>
    public static double ParametricVaR(IReadOnlyList<double> returns, double confidence = 0.95)
    {
        var (mu, sigma, _, _) = Moments(returns);
        return -(mu + sigma * Normal.InvCDF(0, 1, 1 - Check(confidence)));
    }

    /// <summary>Gaussian ES: σ·φ(z_α)/(1−α) − μ.</summary>
    public static double ParametricES(IReadOnlyList<double> returns, double confidence = 0.95)
    {
        var (mu, sigma, _, _) = Moments(returns);
        var z = Normal.InvCDF(0, 1, Check(confidence));
        return sigma * Normal.PDF(0, 1, z) / (1 - confidence) - mu;
    }

    /// <summary>
    /// Cornish–Fisher (modified) VaR: the Gaussian quantile corrected for sample skewness S and excess kurtosis K,
    /// z_cf = z + (z²−1)S/6 + (z³−3z)K/24 − (2z³−5z)S²/36.
    /// </summary>
    public static double CornishFisherVaR(IReadOnlyList<double> returns, double confidence = 0.95)
    {
        var (mu, sigma, skew, excessKurtosis) = Moments(returns);
        var z = Normal.InvCDF(0, 1, 1 - Check(confidence));
        var zcf = z + (z * z - 1) * skew / 6 + (z * z * z - 3 * z) * excessKurtosis / 24 - (2 * z * z * z - 5 * z) * skew * skew / 36;
        return -(mu + sigma * zcf);
    }

    /// <summary>Sample mean, standard deviation (n−1), skewness and excess kurtosis (population moment ratios).</summary>
    public static (double Mean, double StdDev, double Skewness, double ExcessKurtosis) Moments(IReadOnlyList<double> returns)
    {
        var r = Checked(returns);
        if (r.Length < 3) throw new QuantInputException($"{r.Length} returns: moments need at least three");
        var mean = r.Average();
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in r)
        {
            var d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        var n = r.Length;
        if (m2 == 0) throw new QuantInputException("the returns are constant: volatility is zero");
        m2 /= n;
        m3 /= n;
        m4 /= n;
        return (mean, Math.Sqrt(m2 * n / (n - 1)), m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2) - 3);
    }

    private static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] Sorted(IReadOnlyList<double> returns)
    {
        var sorted = Checked(returns);
        Array.Sort(sorted);
        return sorted;
    }

    // A finite, non-empty copy (moments need no ordering; only the quantile-based measures sort).
    private static double[] Checked(IReadOnlyList<double> returns)
    {
        if (returns.Count == 0) throw new QuantInputException("the return series is empty");
        foreach (var r in returns) if (!double.IsFinite(r)) throw new QuantInputException($"the return series holds {r}");
        return [.. returns];
    }

    private static double Check(double confidence) =>
        confidence is > 0.5 and < 1 ? confidence : throw new QuantInputException($"confidence must lie in (0.5, 1), got {confidence}");
}
