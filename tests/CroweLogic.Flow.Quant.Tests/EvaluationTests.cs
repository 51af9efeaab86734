using MathNet.Numerics;
using CroweLogic.Flow.Quant.Evaluation;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace CroweLogic.Flow.Quant.Tests;

public class EvaluationTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.3)]
    [InlineData(0.01, 0.02, -0.03)]
    [InlineData(5.0, 2.0, 9.0)]
    public void Gaussian_crps_equals_the_integral_definition(double mu, double sigma, double y)
    {
        // Second method: CRPS = ∫ (F(x) − 1{x ≥ y})² dx by Gauss–Legendre on each side of y.
        var left = GaussLegendreRule.Integrate(x => Math.Pow(Normal.CDF(mu, sigma, x), 2), mu - 12 * sigma, y, 256);
        var right = GaussLegendreRule.Integrate(x => Math.Pow(Normal.CDF(mu, sigma, x) - 1, 2), y, mu + 12 * sigma, 256);
        Assert.Equal(left + right, ForecastScores.CrpsGaussian(mu, sigma, y), 1e-9);
    }

    [Fact]
    public void Ensemble_crps_matches_the_pairwise_definition_and_the_gaussian_limit()
    {
        var rnd = new Random(2);
        var members = Enumerable.Range(0, 200).Select(_ => rnd.NextDouble() * 3 - 1).ToArray();
        var brute = members.Average(x => Math.Abs(x - 0.4)) - 0.5 * members.SelectMany(a => members.Select(b => Math.Abs(a - b))).Average();
        Assert.Equal(brute, ForecastScores.CrpsEnsemble(members, 0.4), 1e-12);
        // A quantile-spaced ensemble of N(0,1) approaches the closed form (tolerance 1e-3 at 20 000 members).
        var quantiles = Enumerable.Range(1, 20_000).Select(i => Normal.InvCDF(0, 1, (i - 0.5) / 20_000)).ToArray();
        Assert.Equal(ForecastScores.CrpsGaussian(0, 1, 0.7), ForecastScores.CrpsEnsemble(quantiles, 0.7), 1e-3);
    }

    [Fact]
    public void Brier_and_model_averaging_closed_forms()
    {
        Assert.Equal((0.01 + 0.64 + 0.09) / 3, ForecastScores.Brier([0.9, 0.8, 0.3], [true, false, false]), 1e-15);
        Assert.Equal([0.25, 0.75], ForecastScores.ModelAveragingWeights([0, Math.Log(3)]).Select(w => Math.Round(w, 12)));
        // Huge log-likelihoods do not overflow.
        Assert.Equal([0.5, 0.5], ForecastScores.ModelAveragingWeights([-1e6, -1e6]));
    }

    [Fact]
    public void Simplex_least_squares_matches_the_two_model_closed_form()
    {
        var rnd = new Random(9);
        var y = Enumerable.Range(0, 50).Select(_ => rnd.NextDouble()).ToArray();
        var f1 = y.Select(v => v + 0.3 * (rnd.NextDouble() - 0.5)).ToArray();
        var f2 = y.Select(v => v + 0.1 + 0.3 * (rnd.NextDouble() - 0.5)).ToArray();
        var d = f1.Zip(f2, (a, b) => a - b).ToArray();
        var expected = Math.Clamp(d.Zip(y.Zip(f2, (a, b) => a - b), (a, b) => a * b).Sum() / d.Sum(v => v * v), 0, 1);
        var w = ForecastScores.SimplexLeastSquares([f1, f2], y);
        Assert.Equal(expected, w[0], 1e-8);
        Assert.Equal(1, w.Sum(), 1e-9);
        // A perfect model takes all the weight.
        var perfect = ForecastScores.SimplexLeastSquares([f1, y, f2], y);
        Assert.Equal(1, perfect[1], 1e-8);
    }

    [Fact]
    public void Psi_is_zero_for_the_same_sample_and_large_for_a_shift()
    {
        var rnd = new Random(4);
        var reference = Enumerable.Range(0, 5_000).Select(_ => Normal.Sample(rnd, 0, 1)).ToArray();
        Assert.Equal(0, Drift.PopulationStabilityIndex(reference, reference), 1e-15);
        var shifted = Enumerable.Range(0, 5_000).Select(_ => Normal.Sample(rnd, 1, 1)).ToArray();
        Assert.True(Drift.PopulationStabilityIndex(reference, shifted) > 0.25);
        var same = Enumerable.Range(0, 5_000).Select(_ => Normal.Sample(rnd, 0, 1)).ToArray();
        Assert.True(Drift.PopulationStabilityIndex(reference, same) < 0.1);
    }

    [Fact]
    public void Two_bin_psi_matches_its_formula()
    {
        // Reference split 50/50 at its median; current 80/20: PSI = (0.8−0.5)ln(0.8/0.5) + (0.2−0.5)ln(0.2/0.5).
        double[] reference = [1, 2, 3, 4];
        double[] current = [1, 1, 1, 1, 1, 1, 1, 1, 4, 4];
        Assert.Equal(0.3 * Math.Log(1.6) - 0.3 * Math.Log(0.4), Drift.PopulationStabilityIndex(reference, current, bins: 2), 1e-12);
    }

    [Fact]
    public void Kolmogorov_smirnov_statistic_and_p_values()
    {
        var rnd = new Random(8);
        var a = Enumerable.Range(0, 300).Select(_ => Normal.Sample(rnd, 0, 1)).ToArray();
        var b = Enumerable.Range(0, 200).Select(_ => Normal.Sample(rnd, 0.5, 1)).ToArray();
        var (d, p) = Drift.KolmogorovSmirnov(a, b);
        // Brute force: the largest ECDF gap over every observed point.
        var brute = a.Concat(b).Max(x => Math.Abs(a.Count(v => v <= x) / 300.0 - b.Count(v => v <= x) / 200.0));
        Assert.Equal(brute, d, 1e-15);
        Assert.True(p < 1e-3);
        // The Kolmogorov tail at the classic critical values: Q(1.3581) = 0.05, Q(1.6276) = 0.01 (to 5e-4).
        Assert.Equal(0.05, Drift.KolmogorovTail(1.3581), 5e-4);
        Assert.Equal(0.01, Drift.KolmogorovTail(1.6276), 5e-4);
        Assert.True(Drift.KolmogorovSmirnov(a, a).PValue > 0.99);
    }

    [Fact]
    public void The_exact_two_sample_p_value_equals_the_gnedenko_korolyuk_closed_form_for_equal_sizes()
    {
        // P(D ≥ k/n) for two samples of n = 20: 2 Σ_{j≥1} (−1)^(j+1) C(2n, n − jk) / C(2n, n) (Gnedenko–Korolyuk 1951), to 1e-12.
        const int n = 20;
        for (var k = 1; k <= n; k++)
        {
            double closed = 0;
            for (var j = 1; j * k <= n; j++) closed += (j % 2 == 1 ? 2 : -2) * Math.Exp(SpecialFunctions.BinomialLn(2 * n, n - j * k) - SpecialFunctions.BinomialLn(2 * n, n));
            Assert.Equal(Math.Min(1, closed), Drift.KolmogorovSmirnovExact(n, n, (double)k / n), 1e-12);
        }
    }

    [Fact]
    public void The_exact_two_sample_p_value_equals_enumeration_of_every_merge_order()
    {
        // Sizes 5 and 4 (and 3 and 7): every one of the C(m+n, m) orders of the pooled ranks is equally likely under the
        // null; P(D ≥ d) counted over them, for every d that occurs, to 1e-15.
        foreach (var (m, n) in new[] { (5, 4), (3, 7), (6, 6) })
        {
            var statistics = new List<double>();
            void Walk(int i, int j, int gap, int worst)
            {
                // gap = i·n − j·m; D = max |gap| / (m·n).
                worst = Math.Max(worst, Math.Abs(gap));
                if (i == m && j == n) { statistics.Add((double)worst / (m * n)); return; }
                if (i < m) Walk(i + 1, j, gap + n, worst);
                if (j < n) Walk(i, j + 1, gap - m, worst);
            }
            Walk(0, 0, 0, 0);
            foreach (var d in statistics.Distinct())
                Assert.Equal(statistics.Count(s => s >= d - 1e-12) / (double)statistics.Count, Drift.KolmogorovSmirnovExact(m, n, d), 1e-15);
        }
    }

    [Fact]
    public void Small_samples_get_the_exact_p_value_and_large_ones_the_asymptotic()
    {
        double[] a = [0.1, 0.4, 0.7, 1.2, 1.5, 2.2, 2.8, 3.1];
        double[] b = [0.9, 1.8, 2.5, 3.3, 3.9, 4.4, 4.8];
        var (d, p) = Drift.KolmogorovSmirnov(a, b);
        Assert.Equal(Drift.KolmogorovSmirnovExact(8, 7, d), p, 1e-15);
        Assert.NotEqual(Drift.KolmogorovTail((Math.Sqrt(56.0 / 15) + 0.12 + 0.11 / Math.Sqrt(56.0 / 15)) * d), p, 1e-3);
        Assert.Throws<QuantInputException>(() => Drift.KolmogorovSmirnovExact(0, 3, 0.5));
        Assert.Throws<QuantInputException>(() => Drift.KolmogorovSmirnovExact(3, 3, double.NaN));
    }
}
