using CroweLogic.Flow.Quant.Regime;
using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>Two-state Gaussian HMM checked by brute force over every state path, and Baum–Welch's monotone likelihood.</summary>
public class GaussianHmmTests
{
    private static readonly GaussianHmm Model = new([0.6, 0.4], [[0.95, 0.05], [0.10, 0.90]], [0.001, -0.002], [0.01, 0.03]);

    private static readonly double[] Short = [0.004, -0.012, 0.02, -0.035, 0.001, 0.006, -0.04, 0.015, 0.002, -0.001];

    // All 2^T state paths: the joint log probability of each path and the observations.
    private static IEnumerable<(int[] Path, double LogJoint)> AllPaths(GaussianHmm m, double[] y)
    {
        for (var mask = 0; mask < 1 << y.Length; mask++)
        {
            var path = Enumerable.Range(0, y.Length).Select(t => (mask >> t) & 1).ToArray();
            var lp = Math.Log(m.Initial[path[0]]) + Normal.PDFLn(m.Means[path[0]], m.StdDevs[path[0]], y[0]);
            for (var t = 1; t < y.Length; t++) lp += Math.Log(m.Transition[path[t - 1]][path[t]]) + Normal.PDFLn(m.Means[path[t]], m.StdDevs[path[t]], y[t]);
            yield return (path, lp);
        }
    }

    [Fact]
    public void Forward_likelihood_equals_the_sum_over_all_paths()
    {
        var joint = AllPaths(Model, Short).Select(p => p.LogJoint).ToArray();
        var max = joint.Max();
        var brute = max + Math.Log(joint.Sum(v => Math.Exp(v - max)));
        Assert.Equal(brute, Model.LogLikelihood(Short), 1e-10);
    }

    [Fact]
    public void Viterbi_finds_the_best_of_all_paths()
    {
        var best = AllPaths(Model, Short).MaxBy(p => p.LogJoint);
        var (path, logProbability) = Model.Viterbi(Short);
        Assert.Equal(best.Path, path);
        Assert.Equal(best.LogJoint, logProbability, 1e-10);
    }

    [Fact]
    public void Filtered_probabilities_are_distributions_and_match_brute_force_at_the_end()
    {
        var filtered = Model.Filter(Short);
        Assert.All(filtered, p => Assert.Equal(1, p.Sum(), 1e-12));
        // P(s_T = 1 | y_1..T) by enumeration.
        var paths = AllPaths(Model, Short).ToArray();
        var max = paths.Max(p => p.LogJoint);
        var total = paths.Sum(p => Math.Exp(p.LogJoint - max));
        var last1 = paths.Where(p => p.Path[^1] == 1).Sum(p => Math.Exp(p.LogJoint - max));
        Assert.Equal(last1 / total, filtered[^1][1], 1e-10);
    }

    [Fact]
    public void Baum_welch_never_lowers_the_likelihood_and_recovers_the_regimes()
    {
        // 5 000 seeded draws from the model; fit from a deliberately poor start.
        var rnd = new Random(11);
        var y = new double[5_000];
        var state = 0;
        for (var t = 0; t < y.Length; t++)
        {
            if (t > 0 && rnd.NextDouble() > Model.Transition[state][state]) state = 1 - state;
            y[t] = Normal.Sample(rnd, Model.Means[state], Model.StdDevs[state]);
        }
        var start = new GaussianHmm([0.5, 0.5], [[0.8, 0.2], [0.2, 0.8]], [0.0, 0.0], [0.005, 0.05]);
        var (fitted, history) = start.Fit(y);
        for (var i = 1; i < history.Length; i++) Assert.True(history[i] >= history[i - 1] - 1e-9, $"log-likelihood fell at iteration {i}: {history[i - 1]} → {history[i]}");
        // Tolerances: sampling error of 5 000 draws (σ estimates within 10 %, persistence within 0.03).
        Assert.Equal(0.01, fitted.StdDevs[0], 0.001);
        Assert.Equal(0.03, fitted.StdDevs[1], 0.003);
        Assert.Equal(0.95, fitted.Transition[0][0], 0.03);
        Assert.Equal(0.90, fitted.Transition[1][1], 0.03);
    }

    [Fact]
    public void Invalid_models_and_series_are_refused()
    {
        Assert.Contains("transition row 0", Assert.Throws<QuantInputException>(() => new GaussianHmm([1, 0], [[0.5, 0.6], [0.5, 0.5]], [0, 0], [1, 1]).LogLikelihood([0.1])).Message);
        Assert.Contains("NaN", Assert.Throws<QuantInputException>(() => Model.LogLikelihood([0.1, double.NaN])).Message);
        Assert.Contains("empty", Assert.Throws<QuantInputException>(() => Model.Viterbi([])).Message);
    }
}
