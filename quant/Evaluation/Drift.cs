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

    /// <summary>Largest n₁·n₂ for which the two-sample p-value is computed exactly (a lattice-path count of n₁·n₂ steps).</summary>
    public const long ExactLimit = 10_000_000;

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov, two-sided: D = sup|F₁ − F₂| and P(D ≥ d) under the null — exact for n₁·n₂ up to
    /// <see cref="ExactLimit"/> (<see cref="KolmogorovSmirnovExact"/>, scipy's <c>ks_2samp</c> method "exact", which its
    /// "auto" picks for samples this small), beyond it asymptotic, Q_KS((√nₑ + 0.12 + 0.11/√nₑ)·D), nₑ = n₁n₂/(n₁+n₂)
    /// (Stephens' correction). The exact distribution assumes no ties, as scipy's does.
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
        if ((long)x.Length * y.Length <= ExactLimit) return (d, KolmogorovSmirnovExact(x.Length, y.Length, d));
        var ne = (double)x.Length * y.Length / (x.Length + y.Length);
        var sqrt = Math.Sqrt(ne);
        return (d, KolmogorovTail((sqrt + 0.12 + 0.11 / sqrt) * d));
    }

    /// <summary>
    /// The exact null probability P(D ≥ d) of the two-sided two-sample statistic for sizes m and n: one minus the share of
    /// the C(m+n, m) equally likely merge orders whose lattice path from (0, 0) to (m, n) keeps |i/m − j/n| &lt; d at every
    /// step. The path counts are carried as shares r(i, j) = paths inside / C(i+j, i), with r(i, j) = r(i−1, j)·i/(i+j) +
    /// r(i, j−1)·j/(i+j), so nothing overflows; the boundary is compared in integers, |i·n − j·m| ≥ ⌈d·m·n⌉ rounded to the
    /// statistic's lattice, so a D equal to d counts as reaching it.
    /// </summary>
    public static double KolmogorovSmirnovExact(int m, int n, double d)
    {
        if (m <= 0 || n <= 0) throw new QuantInputException($"sample sizes must be positive, got {m} and {n}");
        if (!(d >= 0) || d > 1) throw new QuantInputException($"the statistic must be in [0, 1], got {d}");
        // D is a multiple of 1/lcm(m, n): on the integer lattice |i·n − j·m| it is h = d·m·n, rounded to a multiple of gcd.
        long mn = (long)m * n, g = Gcd(m, n);
        var h = (long)Math.Round(d * mn / g) * g;
        if (h <= 0) return 1;
        bool Outside(long i, long j) => Math.Abs(i * n - j * m) >= h;
        var row = new double[n + 1];
        row[0] = 1;
        for (var j = 1; j <= n; j++) row[j] = Outside(0, j) ? 0 : row[j - 1];
        for (var i = 1; i <= m; i++)
        {
            row[0] = Outside(i, 0) ? 0 : row[0];
            for (var j = 1; j <= n; j++)
                row[j] = Outside(i, j) ? 0 : (row[j] * i + row[j - 1] * j) / (i + j);
        }
        return Math.Clamp(1 - row[n], 0, 1);
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
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
