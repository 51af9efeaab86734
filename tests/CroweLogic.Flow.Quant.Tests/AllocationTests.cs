using CroweLogic.Flow.Quant.Allocation;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Tests;

public class AllocationTests
{
    [Fact]
    public void Theta_is_the_ridge_regression_of_the_shaped_rewards()
    {
        var alloc = new LinUcbAllocator(1, 2, new LinUcbConfig(Ridge: 0.5, LossPenalty: 2, LossPower: 2, MaxAllocation: 1));
        var rnd = new Random(1);
        var xs = new List<double[]>();
        var ys = new List<double>();
        for (var t = 0; t < 40; t++)
        {
            double[] x = [1, rnd.NextDouble()];
            var pnl = 0.01 * x[1] - 0.004 + 0.002 * (rnd.NextDouble() - 0.5);
            alloc.Update(0, x, pnl);
            xs.Add(x);
            ys.Add(pnl - 2 * Math.Pow(Math.Max(0, -pnl), 2));
        }
        // Second method: normal equations (XᵀX + λI)θ = Xᵀy.
        var xm = Matrix<double>.Build.DenseOfRowArrays(xs);
        var theta = (xm.TransposeThisAndMultiply(xm) + 0.5 * Matrix<double>.Build.DenseIdentity(2)).Solve(xm.TransposeThisAndMultiply(Vector<double>.Build.DenseOfEnumerable(ys)));
        var got = alloc.Theta(0);
        Assert.Equal(theta[0], got[0], 1e-12);
        Assert.Equal(theta[1], got[1], 1e-12);
    }

    [Fact]
    public void The_cvar_penalty_lowers_a_fat_left_tail_arm()
    {
        var config = new LinUcbConfig(Exploration: 0, CvarPenalty: 1, LossPenalty: 0, MaxAllocation: 1);
        var alloc = new LinUcbAllocator(2, 1, config);
        for (var t = 0; t < 100; t++)
        {
            alloc.Update(0, [1], 0.01);                          // steady
            alloc.Update(1, [1], t % 20 == 0 ? -0.18 : 0.02);   // same mean 0.01, crash every 20
        }
        Assert.Equal(0.18, alloc.Cvar(1), 1e-12); // worst 5 of 100
        Assert.Equal(0, alloc.Cvar(0));
        var scores = alloc.Scores([[1], [1]]);
        Assert.True(scores[0] > scores[1]);
    }

    [Fact]
    public void Allocations_respect_caps_and_sum_to_one()
    {
        var alloc = new LinUcbAllocator(5, 1, new LinUcbConfig(MaxAllocation: 0.3, MinAllocation: 0.05, Exploration: 0));
        for (var j = 0; j < 5; j++) for (var t = 0; t < 10; t++) alloc.Update(j, [1], 0.01 * (j + 1));
        var w = alloc.Allocate([[1], [1], [1], [1], [1]]);
        Assert.Equal(1, w.Sum(), 1e-12);
        Assert.All(w, v => Assert.InRange(v, 0.05 - 1e-12, 0.3 + 1e-12));
        Assert.True(w[4] >= w[0]);
        Assert.Contains("cannot sum to one", Assert.Throws<QuantInputException>(() => new LinUcbAllocator(3, 1, new LinUcbConfig(MaxAllocation: 0.2))).Message);
    }

    [Fact]
    public void LinUcb_learns_the_best_arm_of_a_contextual_bandit()
    {
        // Arm j pays θ_jᵀx + noise; arm 2 is best. Seeded; pick the top-scoring arm each round.
        double[][] theta = [[0.01, 0.0], [0.0, 0.01], [0.02, 0.01]];
        var alloc = new LinUcbAllocator(3, 2, new LinUcbConfig(Exploration: 0.01, LossPenalty: 0, CvarPenalty: 0, MaxAllocation: 1));
        var rnd = new Random(12);
        var bestPulls = 0;
        for (var t = 0; t < 2_000; t++)
        {
            double[] x = [rnd.NextDouble(), rnd.NextDouble()];
            var scores = alloc.Scores([x, x, x]);
            var arm = Array.IndexOf(scores, scores.Max());
            alloc.Update(arm, x, theta[arm][0] * x[0] + theta[arm][1] * x[1] + Normal.Sample(rnd, 0, 0.005));
            if (t >= 1_000 && arm == 2) bestPulls++;
        }
        Assert.True(bestPulls > 900, $"best arm chosen {bestPulls} of the last 1 000 rounds");
    }

    [Fact]
    public void Optimistic_mirror_descent_regret_stays_within_its_bound()
    {
        var rnd = new Random(21);
        const int n = 4, rounds = 500;
        const double eta = 0.1;
        var omd = new OptimisticMirrorDescent(n, eta);
        double played = 0;
        var cumulative = new double[n];
        double[]? previous = null;
        double hintError = 0;
        for (var t = 0; t < rounds; t++)
        {
            // Slowly varying losses in [0, 1]: asset 1 is best on average.
            var g = Enumerable.Range(0, n).Select(i => Math.Clamp(0.5 + (i == 1 ? -0.2 : 0.1) + 0.1 * Math.Sin(t / 20.0 + i) + 0.05 * (rnd.NextDouble() - 0.5), 0, 1)).ToArray();
            played += omd.Allocation.Zip(g, (u, l) => u * l).Sum();
            for (var i = 0; i < n; i++) cumulative[i] += g[i];
            hintError += Math.Pow(g.Zip(previous ?? new double[n], (a, b) => Math.Abs(a - b)).Max(), 2);
            omd.Observe(g);
            previous = g;
        }
        var regret = played - cumulative.Min();
        Assert.True(regret <= Math.Log(n) / eta + eta * hintError, $"regret {regret} above bound {Math.Log(n) / eta + eta * hintError}");
        Assert.True(omd.Allocation[1] > 0.9);
        Assert.Equal(1, omd.Allocation.Sum(), 1e-12);
    }
}
