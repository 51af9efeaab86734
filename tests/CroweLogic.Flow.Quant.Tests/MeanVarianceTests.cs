using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using static CroweLogic.Flow.Quant.Tests.PyPortfolioOptReference;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// PyPortfolioOpt's test_efficient_frontier.py on its stock set (μ = mean historical return, Σ = pairwise sample
/// covariance). Expected tuples are (return, volatility, Sharpe at r_f = 0.02); pypfopt's tolerance is allclose
/// (rtol 1e-7) or atol 1e-6 where stated, and we hold the same.
/// </summary>
public class MeanVarianceTests
{
    private static readonly double[] Mu = Returns.MeanHistorical(StockReturns);
    private static readonly Matrix<double> S = Covariance.Sample(StockReturns);
    private const int N = 20;

    private static void AssertTuple((double Ret, double Vol, double Sharpe) expected, PortfolioResult actual, double rtol = 1e-7, double atol = 0)
    {
        Assert.True(Math.Abs(expected.Ret - actual.ExpectedReturn) <= atol + rtol * Math.Abs(expected.Ret), $"return {actual.ExpectedReturn:R} vs {expected.Ret:R}");
        Assert.True(Math.Abs(expected.Vol - actual.Volatility) <= atol + rtol * Math.Abs(expected.Vol), $"volatility {actual.Volatility:R} vs {expected.Vol:R}");
        Assert.True(Math.Abs(expected.Sharpe - actual.Sharpe(0.02)) <= atol + rtol * Math.Abs(expected.Sharpe), $"sharpe {actual.Sharpe(0.02):R} vs {expected.Sharpe:R}");
    }

    [Fact]
    public void Min_volatility_long_only() =>
        AssertTuple((0.15056821399482578, 0.15915084514118694, 0.8204054077060996), new MeanVarianceOptimizer(Mu, S).MinVolatility());

    [Fact]
    public void Min_volatility_with_shorts_equals_the_closed_form()
    {
        var result = new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, double.NegativeInfinity, double.PositiveInfinity)).MinVolatility();
        AssertTuple((0.1516319319875544, 0.1555915367269669, 0.8460095886741129), result);
        var ones = Vector<double>.Build.Dense(N, 1);
        var closed = S.Solve(ones) / (ones * S.Solve(ones));
        for (var i = 0; i < N; i++) Assert.Equal(closed[i], result.Weights[i], 1e-9);
    }

    [Fact]
    public void Min_volatility_with_l2() =>
        AssertTuple((0.17356099329164965, 0.1955254118258614, 0.785376140408869), new MeanVarianceOptimizer(Mu, S, penalties: new PortfolioPenalties(L2: 1)).MinVolatility());

    [Fact]
    public void Min_volatility_with_transaction_costs_and_l2() =>
        AssertTuple((0.17363446634404042, 0.1959773703677164, 0.7839398296638683),
            new MeanVarianceOptimizer(Mu, S, penalties: new PortfolioPenalties(L2: 1, TurnoverL1: 0.001, PreviousWeights: Enumerable.Repeat(1.0 / N, N).ToArray())).MinVolatility());

    [Fact]
    public void Max_sharpe_long_only() =>
        AssertTuple((0.3047768672819914, 0.22165566922402932, 1.2847714127003216), new MeanVarianceOptimizer(Mu, S).MaxSharpe(0.02));

    [Fact]
    public void Max_sharpe_with_shorts() =>
        AssertTuple((0.4937195216716211, 0.29516576454651955, 1.6049270564945908),
            new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, double.NegativeInfinity, double.PositiveInfinity)).MaxSharpe(0.02));

    [Fact]
    public void Max_quadratic_utility() =>
        AssertTuple((0.3677732711751504, 0.2921342197778279, 1.1904571516463793), new MeanVarianceOptimizer(Mu, S).MaxQuadraticUtility(2));

    [Fact]
    public void Max_quadratic_utility_market_neutral()
    {
        var result = new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, -1, 1, marketNeutral: true)).MaxQuadraticUtility(1);
        AssertTuple((1.248936321062371, 1.0219175004907117, 1.2025787996313317), result);
        Assert.Equal(0, result.Weights.Sum(), 1e-10);
    }

    [Fact]
    public void Efficient_risk() =>
        AssertTuple((0.2552422849133517, 0.19, 1.2381172871434818), new MeanVarianceOptimizer(Mu, S).EfficientRisk(0.19), rtol: 0, atol: 1e-6);

    [Fact]
    public void Efficient_risk_market_neutral() =>
        AssertTuple((0.28640632960825885, 0.21, 1.2686015698590967),
            new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, -1, 1, marketNeutral: true)).EfficientRisk(0.21), rtol: 0, atol: 1e-6);

    [Fact]
    public void Efficient_risk_with_l2_is_judged_attainable_against_the_true_minimum_volatility()
    {
        // test_efficient_risk_L2_reg: γ = 5 lifts the penalised minimum volatility above 0.19; the target is attainable all the same.
        var penalised = new MeanVarianceOptimizer(Mu, S, penalties: new PortfolioPenalties(L2: 5));
        Assert.True(penalised.MinVolatility().Volatility > 0.19);
        AssertTuple((0.1931352562313653, 0.18999999989010993, 0.9112381912184281), penalised.EfficientRisk(0.19), rtol: 0, atol: 1e-6);
        // Below the true minimum (0.159, Min_volatility_long_only) it is still refused.
        Assert.Contains("below the minimum attainable 0.159151", Assert.Throws<QuantInputException>(() => penalised.EfficientRisk(0.15)).Message);
    }

    [Fact]
    public void Efficient_risk_market_neutral_with_l2_stops_where_the_penalty_does() =>
        // test_efficient_risk_market_neutral_L2_reg: the L2 term alone keeps the book at 0.1175, inside the 0.19 target.
        AssertTuple((0.12790320789339854, 0.1175336636355454, 0.9180621496492316),
            new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, -1, 1, marketNeutral: true), new PortfolioPenalties(L2: 1)).EfficientRisk(0.19), rtol: 0, atol: 1e-6);

    [Fact]
    public void Min_volatility_with_l2_on_pypfopts_constant_correlation_shrinkage() =>
        // test_min_volatilty_shrunk_L2_reg: Σ = CovarianceShrinkage(prices).ledoit_wolf("constant_correlation"), γ = 1.
        AssertTuple((0.17358178582309983, 0.19563960638632416, 0.7850239972361532),
            new MeanVarianceOptimizer(Mu, Covariance.LedoitWolfConstantCorrelation(StockReturns, sample: ShrinkageSample.PairwiseComplete).Matrix, penalties: new PortfolioPenalties(L2: 1)).MinVolatility());

    [Fact]
    public void Efficient_return_with_l2() =>
        // test_efficient_return_L2_reg: γ = 1, target 0.25.
        AssertTuple((0.25, 0.20961660883459776, 1.0972412981906703), new MeanVarianceOptimizer(Mu, S, penalties: new PortfolioPenalties(L2: 1)).EfficientReturn(0.25));

    [Fact]
    public void Max_sharpe_on_the_exponential_covariance() =>
        // test_max_sharpe_exp_cov: Σ = risk_models.exp_cov(prices) (span 180).
        AssertTuple((0.33700887443850647, 0.1807332515488447, 1.7540152225548384), new MeanVarianceOptimizer(Mu, Covariance.Exponential(StockReturns)).MaxSharpe(0.02));

    [Fact]
    public void Min_volatility_with_l2_on_the_exponential_covariance() =>
        // test_min_volatility_exp_cov_L2_reg.
        AssertTuple((0.1829496087575576, 0.17835412793427002, 0.9136295898775636),
            new MeanVarianceOptimizer(Mu, Covariance.Exponential(StockReturns), penalties: new PortfolioPenalties(L2: 1)).MinVolatility());

    [Fact]
    public void Efficient_risk_market_neutral_on_the_exponential_covariance() =>
        // test_efficient_risk_exp_cov_market_neutral: bounds (−1, 1), target 0.19, atol 1e-6.
        AssertTuple((0.3934093962620499, 0.18999999989011893, 1.9653126130421081),
            new MeanVarianceOptimizer(Mu, Covariance.Exponential(StockReturns), PortfolioConstraints.Box(N, -1, 1, marketNeutral: true)).EfficientRisk(0.19), rtol: 0, atol: 1e-6);

    [Fact]
    public void Max_sharpe_on_the_semicovariance() =>
        // test_max_sharpe_semicovariance: Σ replaced by risk_models.semicovariance(prices, benchmark=0).
        AssertTuple((0.2762965426962885, 0.07372667096108301, 3.476307004714425), new MeanVarianceOptimizer(Mu, Covariance.Semicovariance(StockReturns, benchmark: 0)).MaxSharpe(0.02));

    [Fact]
    public void Max_sharpe_with_shorts_on_the_semicovariance() =>
        // test_max_sharpe_short_semicovariance: weight bounds (−1, 1).
        AssertTuple((0.42444834528495234, 0.0898263632679403, 4.50255727350929),
            new MeanVarianceOptimizer(Mu, Covariance.Semicovariance(StockReturns, benchmark: 0), PortfolioConstraints.Box(N, -1, 1)).MaxSharpe(0.02));

    [Fact]
    public void Efficient_return() =>
        AssertTuple((0.25, 0.18723269942026335, 1.2284179030274036), new MeanVarianceOptimizer(Mu, S).EfficientReturn(0.25), rtol: 0, atol: 1e-6);

    [Fact]
    public void Efficient_return_market_neutral() =>
        AssertTuple((0.25, 0.1833060046337015, 1.2547324920403273),
            new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, -1, 1, marketNeutral: true)).EfficientReturn(0.25), rtol: 0, atol: 1.5e-7);

    [Fact]
    public void A_prohibitive_turnover_penalty_keeps_the_previous_portfolio()
    {
        var previous = Enumerable.Repeat(1.0 / N, N).ToArray();
        var result = new MeanVarianceOptimizer(Mu, S, penalties: new PortfolioPenalties(TurnoverL1: 10, PreviousWeights: previous)).MinVolatility();
        for (var i = 0; i < N; i++) Assert.Equal(previous[i], result.Weights[i], 1e-9);
    }

    [Fact]
    public void Linear_inequalities_bind_and_hold()
    {
        // Cap the tech sleeve (GOOG, AAPL, FB, AMZN, MA) at 20 % in the max-utility portfolio.
        var g = new double[1, N];
        foreach (var t in new[] { "GOOG", "AAPL", "FB", "AMZN", "MA" }) g[0, StockReturns.IndexOf(t)] = 1;
        var result = new MeanVarianceOptimizer(Mu, S, new PortfolioConstraints(InequalityMatrix: g, InequalityBound: [0.2])).MaxQuadraticUtility(2);
        var tech = Enumerable.Range(0, N).Sum(i => g[0, i] * result.Weights[i]);
        Assert.Equal(0.2, tech, 1e-9);
        Assert.All(result.Weights, w => Assert.InRange(w, -1e-12, 1 + 1e-12));
    }

    [Fact]
    public void Budget_and_bounds_hold_for_random_problems() =>
        Prop.ForAll(Arb.From(Gen.Choose(2, 15)), n =>
        {
            var rnd = new Random(n * 31);
            var a = Matrix<double>.Build.Dense(n + 3, n, (_, _) => rnd.NextDouble() - 0.5);
            var cov = a.TransposeThisAndMultiply(a) / 10 + Matrix<double>.Build.DenseIdentity(n) * 1e-4;
            cov = (cov + cov.Transpose()) / 2;
            var mu = Enumerable.Range(0, n).Select(_ => rnd.NextDouble() * 0.2 - 0.05).ToArray();
            var upper = Math.Max(1.0 / n + 0.05, 0.3);
            var opt = new MeanVarianceOptimizer(mu, cov, PortfolioConstraints.Box(n, 0, upper));
            foreach (var r in new[] { opt.MinVolatility(), opt.MaxQuadraticUtility(3) })
            {
                if (Math.Abs(r.Weights.Sum() - 1) > 1e-9) return false;
                if (r.Weights.Any(w => w < -1e-9 || w > upper + 1e-9)) return false;
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60));

    [Fact]
    public void Impossible_requests_are_refused_with_reasons()
    {
        Assert.Contains("cannot meet a weight sum of 1", Assert.Throws<QuantInputException>(() => new MeanVarianceOptimizer(Mu, S, PortfolioConstraints.Box(N, 0, 0.01))).Message);
        Assert.Contains("below the minimum attainable", Assert.Throws<QuantInputException>(() => new MeanVarianceOptimizer(Mu, S).EfficientRisk(0.05)).Message);
        Assert.Contains("not attainable", Assert.Throws<QuantInputException>(() => new MeanVarianceOptimizer(Mu, S).EfficientReturn(0.9)).Message);
        Assert.Contains("not positive semidefinite", Assert.Throws<QuantInputException>(() =>
            new MeanVarianceOptimizer([0.1, 0.1], Matrix<double>.Build.DenseOfArray(new[,] { { 0.03818144, 0.04182824 }, { 0.04182824, 0.04149209 } }))).Message);
        Assert.Contains("exceeds the risk-free rate", Assert.Throws<QuantInputException>(() => new MeanVarianceOptimizer(Mu, S).MaxSharpe(0.5)).Message);
        var g = new double[2, N];
        for (var i = 0; i < N; i++) { g[0, i] = 1; g[1, i] = -1; }
        // Σw ≤ 0.5 contradicts the budget Σw = 1.
        Assert.Contains("infeasible", Assert.Throws<QuantInputException>(() =>
            new MeanVarianceOptimizer(Mu, S, new PortfolioConstraints(InequalityMatrix: g, InequalityBound: [0.5, 0])).MinVolatility()).Message);
    }
}
