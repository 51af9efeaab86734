using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Quant.Evaluation;

/// <summary>Distribution drift between a reference sample (training, backtest) and a current one (live).</summary>
public static class Drift
{
    /// <summary>
    /// Population stability index Σ(a − e)·ln(a/e) over bins cut at the reference sample's quantiles (equal-mass bins);
    /// empty bins are floored at <paramref name="epsilon"/> so the index stays finite. Rules of thumb: &lt; 0.1 stable,
    /// 0.1–0.25 moderate shift, &gt; 0.25 major shift.
    /// </summary>
    public static double PopulationStabilityIndex(IReadOnlyList<double> reference, IReadOnlyList<double> current, int bins = 10, double epsilon = 1e-4)
    {
        var expected = Finite(reference, "reference");
        var actual = Finite(current, "current");
        if (bins < 2) throw new QuantInputException("PSI needs at least two bins");
        Array.Sort(expected);
        var edges = Enumerable.Range(1, bins - 1).Select(k => expected[(int)Math.Floor(k * (expected.Length - 1) / (double)bins)]).Distinct().ToArray();
        double[] Shares(double[] sample)
        {
            var counts = new double[edges.Length + 1];
            foreach (var v in sample)
            {
                var i = Array.BinarySearch(edges, v);
                counts[i >= 0 ? i : ~i]++;
            }
            return [.. counts.Select(c => Math.Max(c / sample.Length, epsilon))];
        }
        var e = Shares(expected);
        var a = Shares(actual);
        return e.Zip(a, (x, y) => (y - x) * Math.Log(y / x)).Sum();
    }

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov: D = sup|F₁ − F₂| and the asymptotic p-value Q_KS((√nₑ + 0.12 + 0.11/√nₑ)·D),
    /// nₑ = n₁n₂/(n₁+n₂) (Stephens' small-sample correction).
    /// </summary>
    public static (double Statistic, double PValue) KolmogorovSmirnov(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var x = Finite(first, "first");
        var y = Finite(second, "second");
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v) i++;
            while (j < y.Length && y[j] <= v) j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        var ne = (double)x.Length * y.Length / (x.Length + y.Length);
        var sqrt = Math.Sqrt(ne);
        return (d, KolmogorovTail((sqrt + 0.12 + 0.11 / sqrt) * d));
    }

    /// <summary>Q_KS(λ) = 2Σ(−1)^(k−1)·e^(−2k²λ²), the Kolmogorov distribution's upper tail.</summary>
    public static double KolmogorovTail(double lambda)
    {
        if (lambda < 0.2) return 1;
        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-16) break;
        }
        return Math.Clamp(sum, 0, 1);
    }

    private static double[] Finite(IReadOnlyList<double> sample, string name)
    {
        if (sample.Count == 0) throw new QuantInputException($"the {name} sample is empty");
        foreach (var v in sample) if (!double.IsFinite(v)) throw new QuantInputException($"the {name} sample holds {v}");
        return [.. sample];
    }
}
