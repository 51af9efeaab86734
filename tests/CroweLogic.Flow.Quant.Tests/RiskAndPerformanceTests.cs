using CroweLogic.Flow.Quant.Risk;
using CroweLogic.Flow.Quant.Statistics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>Tail risk, drawdown and performance statistics against closed forms and independent numerical methods.</summary>
public class RiskAndPerformanceTests
{
    private static readonly double[] Ladder = [.. Enumerable.Range(-10, 100).Select(i => i / 100.0)]; // −0.10 … 0.89

    [Fact]
    public void Drawdowns_of_a_known_curve()
    {
        Assert.Equal([0, 0, -0.1, 0, -0.25, 0], Drawdown.Series([100, 110, 99, 120, 90, 130]).Select(d => Math.Round(d, 12)));
        Assert.Equal(-0.25, Drawdown.Max([100, 110, 99, 120, 90, 130]), 1e-15);
        Assert.Equal([1, 1.1, 0.99], Drawdown.EquityFromReturns([0.1, -0.1]).Select(e => Math.Round(e, 12)));
    }

    [Fact]
    public void Historical_var_and_es_use_the_interpolated_quantile()
    {
        // 5 % quantile of −0.10…0.89 with linear interpolation: −0.06 + 0.95·0.01 = −0.0505; tail {−0.10…−0.06}.
        Assert.Equal(0.0505, TailRisk.HistoricalVaR(Ladder), 1e-12);
        Assert.Equal(0.08, TailRisk.HistoricalES(Ladder), 1e-12);
    }

    [Fact]
    public void Gaussian_es_equals_the_integrated_tail()
    {
        var (mu, sigma, _, _) = TailRisk.Moments(Ladder);
        var q = mu + sigma * Normal.InvCDF(0, 1, 0.05);
        Assert.Equal(-q, TailRisk.ParametricVaR(Ladder), 1e-12);
        // Second method: E[X | X ≤ q] by adaptive quadrature of x·f(x) over the tail.
        var tailMean = GaussLegendreRule.Integrate(x => x * Normal.PDF(mu, sigma, x), mu - 12 * sigma, q, 64) / 0.05;
        Assert.Equal(-tailMean, TailRisk.ParametricES(Ladder), 1e-9);
    }

    [Fact]
    public void Cornish_fisher_tracks_the_empirical_quantile_of_a_skewed_sample_better_than_the_gaussian()
    {
        // Seeded skewed returns (lognormal shock): the empirical 1 % quantile is the reference (tolerance: CF error < half the Gaussian error).
        var rnd = new Random(7);
        var returns = Enumerable.Range(0, 200_000).Select(_ => 0.01 - Math.Exp(0.5 * Normal.Sample(rnd, 0, 1)) * 0.01).ToArray();
        var empirical = TailRisk.HistoricalVaR(returns, 0.99);
        var gaussianError = Math.Abs(TailRisk.ParametricVaR(returns, 0.99) - empirical);
        var cfError = Math.Abs(TailRisk.CornishFisherVaR(returns, 0.99) - empirical);
        Assert.True(cfError < gaussianError / 2, $"Cornish–Fisher error {cfError:E3} vs Gaussian {gaussianError:E3}");
    }

    [Fact]
    public void Ratios_of_a_hand_computed_series()
    {
        double[] r = [0.01, 0.02, 0.03];
        Assert.Equal(2 * Math.Sqrt(252), Performance.Sharpe(r), 1e-10); // mean 0.02, sd 0.01
        double[] mixed = [0.02, -0.01, 0.03, -0.02];
        // mean 0.005; downside deviation √((0.01² + 0.02²)/4) = √0.000125.
        Assert.Equal(0.005 / Math.Sqrt(0.000125) * Math.Sqrt(252), Performance.Sortino(mixed), 1e-10);
        Assert.Equal(0.5, Performance.HitRate(mixed));
        Assert.Equal((0.025, -0.015), Performance.WinLoss(mixed));
        var growth = 1.02 * 0.99 * 1.03 * 0.98;
        Assert.Equal(Math.Pow(growth, 252.0 / 4) - 1, Performance.Cagr(mixed), 1e-12);
        var mdd = 1.02 * 0.99 * 1.03 * 0.98 / (1.02 * 0.99 * 1.03) - 1; // the last −2 % from the high after 1.03
        Assert.Equal((Math.Pow(growth, 63) - 1) / -mdd, Performance.Calmar(mixed), 1e-10);
        Assert.Equal(0.1, Performance.Turnover([[0.5, 0.5], [0.7, 0.3], [0.7, 0.3]]), 1e-15);
    }

    [Fact]
    public void Probabilistic_sharpe_closed_forms()
    {
        Assert.Equal(0.5, Performance.ProbabilisticSharpe(0.1, 0.1, 250, -1, 6), 1e-15);
        // Normal returns: variance 1 + SR²/2.
        Assert.Equal(Normal.CDF(0, 1, 0.1 * Math.Sqrt(249) / Math.Sqrt(1 + 0.005)), Performance.ProbabilisticSharpe(0.1, 0, 250, 0, 3), 1e-14);
        // Negative skew and fat tails lower the confidence.
        Assert.True(Performance.ProbabilisticSharpe(0.1, 0, 250, -2, 9) < Performance.ProbabilisticSharpe(0.1, 0, 250, 0, 3));
    }

    [Fact]
    public void Minimum_track_record_length_is_where_psr_reaches_the_confidence()
    {
        var minTrl = Performance.MinimumTrackRecordLength(0.08, 0.02, -0.5, 5, 0.95);
        Assert.True(Performance.ProbabilisticSharpe(0.08, 0.02, (int)Math.Ceiling(minTrl), -0.5, 5) >= 0.95);
        Assert.True(Performance.ProbabilisticSharpe(0.08, 0.02, (int)Math.Floor(minTrl) - 1, -0.5, 5) < 0.95);
    }

    [Theory]
    [InlineData(10, 0.03)]
    [InlineData(100, 0.015)]
    [InlineData(1000, 0.01)]
    public void Expected_max_sharpe_approximates_the_expected_maximum_of_n_normals(int trials, double relativeTolerance)
    {
        // Second method: E[max of N iid N(0,1)] = ∫ x·N·φ(x)·Φ(x)^(N−1) dx by Gauss–Legendre quadrature.
        var exact = GaussLegendreRule.Integrate(x => x * trials * Normal.PDF(0, 1, x) * Math.Pow(Normal.CDF(0, 1, x), trials - 1), -10, 10, 256);
        // The approximation's error shrinks with N (measured: 2.3 % at N = 10, 0.9 % at 100, 0.4 % at 1000).
        Assert.Equal(exact, Performance.ExpectedMaxSharpe(trials, 1), exact * relativeTolerance);
    }

    [Fact]
    public void Deflation_grows_with_the_number_of_trials()
    {
        var one = Performance.ProbabilisticSharpe(0.1, 0, 1250, -0.3, 4);
        var ten = Performance.DeflatedSharpe(0.1, 1250, -0.3, 4, 10, 0.001);
        var thousand = Performance.DeflatedSharpe(0.1, 1250, -0.3, 4, 1000, 0.001);
        Assert.True(one > ten && ten > thousand, $"{one} > {ten} > {thousand}");
    }

    [Fact]
    public void Unusable_series_are_refused()
    {
        Assert.Contains("empty", Assert.Throws<QuantInputException>(() => TailRisk.HistoricalVaR([])).Message);
        Assert.Contains("NaN", Assert.Throws<QuantInputException>(() => TailRisk.HistoricalVaR([0.01, double.NaN])).Message);
        Assert.Contains("constant", Assert.Throws<QuantInputException>(() => Performance.Sharpe([0.01, 0.01, 0.01])).Message);
        Assert.Contains("confidence must lie in (0.5, 1)", Assert.Throws<QuantInputException>(() => TailRisk.ParametricVaR(Ladder, 1.5)).Message);
        Assert.Contains("equity at 1 is 0", Assert.Throws<QuantInputException>(() => Drawdown.Max([1, 0])).Message);
        Assert.Contains("does not exceed the benchmark", Assert.Throws<QuantInputException>(() => Performance.MinimumTrackRecordLength(0.01, 0.02, 0, 3)).Message);
    }
}
