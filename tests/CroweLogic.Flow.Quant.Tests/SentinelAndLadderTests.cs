using CroweLogic.Flow.Quant.Execution;
using CroweLogic.Flow.Quant.Regime;

namespace CroweLogic.Flow.Quant.Tests;

public class SentinelAndLadderTests
{
    private static List<SentinelReading> History()
    {
        var rnd = new Random(6);
        return [.. Enumerable.Range(0, 100).Select(_ => new SentinelReading(rnd.NextDouble() * 0.2, 0.0001 + rnd.NextDouble() * 0.0002, rnd.NextDouble() - 0.5, 2 + rnd.NextDouble() * 4))];
    }

    private static SentinelReading Shifted(List<SentinelReading> h, double k)
    {
        double At(Func<SentinelReading, double> f)
        {
            var v = h.Select(f).ToArray();
            var m = v.Average();
            return m + k * Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
        }
        return new SentinelReading(At(r => r.LagOneAutocorrelation), At(r => r.Variance), At(r => r.BookImbalance), At(r => r.Turbulence));
    }

    [Theory]
    [InlineData(0.5, SentinelAction.Normal)]
    [InlineData(1.5, SentinelAction.HalveExposure)]
    [InlineData(2.5, SentinelAction.Flatten)]
    public void Each_input_is_z_scored_and_the_sum_picks_the_action(double k, SentinelAction expected)
    {
        var history = History();
        var verdict = new CrashSentinel(halveThreshold: 4, flattenThreshold: 8).Assess(Shifted(history, k), history);
        Assert.All(verdict.ZScores, z => Assert.Equal(k, z, 1e-9));
        Assert.Equal(4 * k, verdict.Score, 1e-9);
        Assert.Equal(expected, verdict.Action);
    }

    [Fact]
    public void Sentinel_inputs_are_checked()
    {
        Assert.Equal(-9.0 / 10, CrashSentinel.LagOneAutocorrelation([1, -1, 1, -1, 1, -1, 1, -1, 1, -1]), 1e-12);
        var constant = Enumerable.Repeat(new SentinelReading(0.1, 0.0001, 0, 3), 30).ToList();
        Assert.Contains("constant", Assert.Throws<QuantInputException>(() => new CrashSentinel().Assess(constant[0], constant)).Message);
        Assert.Contains("at least 20", Assert.Throws<QuantInputException>(() => new CrashSentinel().Assess(constant[0], constant.Take(5).ToList())).Message);
    }

    [Fact]
    public void An_input_absent_throughout_is_left_out_and_one_absent_only_now_is_refused()
    {
        // Daily bars have no order book: the imbalance is NaN now and in every past reading, so it drops out (z = 0) and
        // the score is the other three z-scores' sum, each against its own history (closed form, tolerance 1e-12).
        var history = Enumerable.Range(0, 40).Select(i => new SentinelReading(0.1 + (0.01 * (i % 7)), 0.0001 * (1 + (i % 5)), double.NaN, 3 + (i % 3))).ToList();
        var now = new SentinelReading(0.25, 0.0009, double.NaN, 9);
        var verdict = new CrashSentinel(4, 8).Assess(now, history);
        double Z(Func<SentinelReading, double> f)
        {
            var v = history.Select(f).ToArray();
            var mean = v.Average();
            return (f(now) - mean) / Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        }
        Assert.Equal(0, verdict.ZScores[2]);
        Assert.Equal(Z(r => r.LagOneAutocorrelation) + Z(r => r.Variance) + Z(r => r.Turbulence), verdict.Score, 1e-12);
        Assert.Equal(SentinelAction.Flatten, verdict.Action);
        var holey = history.Select((r, i) => i == 3 ? r with { Turbulence = double.NaN } : r).ToList();
        Assert.Contains("turbulence input holds a non-finite value", Assert.Throws<QuantInputException>(() => new CrashSentinel().Assess(now, holey)).Message);
    }

    [Fact]
    public void Ladder_optimum_matches_the_closed_form_without_alpha()
    {
        // With no alpha and no imbalance, EV(Δ) = e^(−(Q + dΔ)/C)(s/2 + Δ − f), maximised at Δ* = C/d − s/2 + f.
        var state = new LadderState(Spread: 0.02, Imbalance: 0, Alpha: 0, QueueAhead: 2_000, TouchDepletionRate: 100, Horizon: 60);
        const double depth = 200_000, fee = 0.003; // shares per $ of offset
        var capacity = 100 * 60.0;
        var closed = capacity / depth - 0.01 + fee;
        var grid = Enumerable.Range(0, 1001).Select(i => i * 0.0001).ToArray();
        var (offset, _) = SmartLimitLadder.Choose(grid, state, fee, depth);
        Assert.Equal(closed, offset, 1e-4);
    }

    [Fact]
    public void Imbalance_speeds_fills_and_favourable_alpha_shortens_the_offset()
    {
        var neutral = new LadderState(0.02, 0, 0, 2_000, 100, 60);
        Assert.True(SmartLimitLadder.FillProbability(0.01, neutral with { Imbalance = 0.8 }, 200_000) > SmartLimitLadder.FillProbability(0.01, neutral, 200_000));
        var grid = Enumerable.Range(0, 501).Select(i => i * 0.0001).ToArray();
        var calm = SmartLimitLadder.Choose(grid, neutral, 0.003, 200_000).Offset;
        var urgent = SmartLimitLadder.Choose(grid, neutral with { Alpha = 0.02 }, 0.003, 200_000).Offset;
        Assert.True(urgent < calm);
        Assert.Throws<QuantInputException>(() => SmartLimitLadder.FillProbability(-0.01, neutral, 1));
    }
}
