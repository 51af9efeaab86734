using System.Globalization;
using CroweLogic.Flow.Quant.Regime;
using CroweLogic.Flow.Tests.Shared;
using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>BOCPD identities (normalisation, constant-hazard change-point mass, conjugate predictive) and detection.</summary>
public class ChangePointTests
{
    [Fact]
    public void The_posterior_is_a_distribution_and_its_change_point_mass_is_the_hazard()
    {
        // Without pruning, P(r_t = 0 | x_1..t) = H exactly for a constant hazard (the change-point message over the evidence).
        var detector = new BayesianOnlineChangePoint(50) { PruneBelow = 0 };
        var rnd = new Random(3);
        for (var t = 0; t < 300; t++)
        {
            detector.Update(Normal.Sample(rnd, t < 150 ? 0 : 3, 1));
            var posterior = detector.RunLengthPosterior;
            Assert.Equal(1, posterior.Sum(), 1e-12);
            Assert.Equal(1.0 / 50, posterior[0], 1e-12);
        }
    }

    [Fact]
    public void The_run_length_predictive_equals_the_batch_conjugate_posterior()
    {
        // Second method: the Normal–Gamma posterior from the last r observations in one batch, then its Student-t predictive.
        double mu0 = 0.5, kappa0 = 2, alpha0 = 3, beta0 = 1.5;
        var detector = new BayesianOnlineChangePoint(1e6, mu0, kappa0, alpha0, beta0) { PruneBelow = 0 };
        double[] xs = [0.3, 1.2, -0.4, 0.9, 2.1, 0.0, 1.1];
        foreach (var x in xs) detector.Update(x);
        var probe = 0.7;
        for (var r = 1; r <= xs.Length; r++)
        {
            var window = xs[^r..];
            var mean = window.Average();
            var kappa = kappa0 + r;
            var mu = (kappa0 * mu0 + r * mean) / kappa;
            var alpha = alpha0 + r / 2.0;
            var beta = beta0 + 0.5 * window.Sum(v => (v - mean) * (v - mean)) + kappa0 * r * (mean - mu0) * (mean - mu0) / (2 * kappa);
            var expected = StudentT.PDFLn(mu, Math.Sqrt(beta * (kappa + 1) / (alpha * kappa)), 2 * alpha, probe);
            Assert.Equal(expected, detector.LogPredictive(r, probe), 1e-12);
        }
    }

    [Fact]
    public void Detects_mean_and_variance_shifts_in_a_synthetic_series()
    {
        var rnd = new Random(5);
        var series = Enumerable.Range(0, 200).Select(_ => Normal.Sample(rnd, 0, 1))
            .Concat(Enumerable.Range(0, 200).Select(_ => Normal.Sample(rnd, 4, 1)))
            .Concat(Enumerable.Range(0, 200).Select(_ => Normal.Sample(rnd, 4, 4))).ToArray();
        var points = BayesianOnlineChangePoint.Detect(series, 100, 0, 0.1, 1, 1);
        Assert.Equal(2, points.Count);
        Assert.InRange(points[0], 198, 202);
        Assert.InRange(points[1], 195, 420);
    }

    [Fact]
    public void The_well_log_benchmark_runs_normalised_and_finds_its_level_shifts()
    {
        var lines = File.ReadAllLines(Path.Combine(SharedPaths.Reference, "changepoint", "well.dat"));
        var well = lines.Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).Select(l => double.Parse(l.Trim(), CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4050, well.Length);
        // Standardise (the data sit around 1.2e5 with σ ≈ 1e4); a weak prior and λ = 250 as in Adams & MacKay's figure.
        var mean = well.Average();
        var sd = Math.Sqrt(well.Average(v => (v - mean) * (v - mean)));
        var z = well.Select(v => (v - mean) / sd).ToArray();
        var points = BayesianOnlineChangePoint.Detect(z, 250, 0, 0.01, 1, 0.1, minimumSegment: 10);

        // Model-free second method: the five largest jumps between the medians of the 25 readings before and after each
        // point (at least 50 apart). Each must have a detected change point within 15 readings.
        var jumps = Enumerable.Range(25, z.Length - 50).Select(t => (T: t, Jump: Math.Abs(Median(z[t..(t + 25)]) - Median(z[(t - 25)..t])))).OrderByDescending(j => j.Jump).ToList();
        var biggest = new List<int>();
        foreach (var (t, _) in jumps)
        {
            if (biggest.All(b => Math.Abs(b - t) >= 50)) biggest.Add(t);
            if (biggest.Count == 5) break;
        }
        foreach (var t in biggest) Assert.Contains(points, p => Math.Abs(p - t) <= 15);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
