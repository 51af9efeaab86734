using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Portfolio;
using static CroweLogic.Flow.Quant.Tests.PyPortfolioOptReference;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// PyPortfolioOpt's test_efficient_cvar.py: scenarios from the complete rows of the stock set, β = 0.95; tuples are
/// (return, CVaR) with pypfopt's tolerance rtol = atol = 1e-4. Its numbers pin down two μ conventions: test_cvar_example
/// and test_es_return_sample match μ from the full price history (CompleteMu gives CVaR 0.01888 at 0.2 instead of
/// 0.017222), while test_efficient_return/_risk/_return_short match μ from the complete rows. Both are reproduced.
/// </summary>
public class MeanCvarTests
{
    private static readonly Panel CompletePrices = StockPrices.CompleteRows();
    private static readonly Panel Scenarios = Returns.FromPrices(CompletePrices);
    private static readonly double[] Mu = Returns.MeanHistorical(Scenarios);
    private static readonly double[] FullHistoryMu = Returns.MeanHistorical(StockReturns);

    private static void AssertPair((double Ret, double Cvar) expected, CvarResult actual)
    {
        Assert.True(Math.Abs(expected.Ret - actual.ExpectedReturn) <= 1e-4 + 1e-4 * Math.Abs(expected.Ret), $"return {actual.ExpectedReturn:R} vs {expected.Ret:R}");
        Assert.True(Math.Abs(expected.Cvar - actual.Cvar) <= 1e-4 + 1e-4 * Math.Abs(expected.Cvar), $"CVaR {actual.Cvar:R} vs {expected.Cvar:R}");
    }

    [Fact]
    public void Min_cvar_matches_pypfopt()
    {
        Assert.Equal(895, Scenarios.RowCount); // 896 complete price rows
        var optimiser = new MeanCvarOptimizer(FullHistoryMu, Scenarios);
        var result = optimiser.MinCvar();
        AssertPair((0.17745746040573562, 0.017049502122532853), result);
        // Second method: the historical tail average of the chosen portfolio equals the LP objective.
        Assert.Equal(result.Cvar, optimiser.Cvar(result.Weights), 1e-9);
        Assert.Equal(1, result.Weights.Sum(), 1e-9);
    }

    [Fact]
    public void Efficient_return_matches_pypfopt() => AssertPair((0.2, 0.017222), new MeanCvarOptimizer(FullHistoryMu, Scenarios).EfficientReturn(0.2));

    [Fact]
    public void The_min_cvar_value_does_not_depend_on_the_solution_picked()
    {
        // test_min_cvar_different_solver (ECOS) reports another optimal vertex with the same CVaR: the LP value is unique.
        Assert.Equal(0.017049502122532853, new MeanCvarOptimizer(Mu, Scenarios).MinCvar().Cvar, 1e-9);
        Assert.Equal(0.017049502122532853, new MeanCvarOptimizer(FullHistoryMu, Scenarios).MinCvar().Cvar, 1e-9);
    }

    [Fact]
    public void Efficient_return_at_25_percent_matches_pypfopt() => AssertPair((0.25, 0.021036631225933487), new MeanCvarOptimizer(Mu, Scenarios).EfficientReturn(0.25));

    [Fact]
    public void Efficient_risk_matches_pypfopt() => AssertPair((0.2267893986249195, 0.02), new MeanCvarOptimizer(Mu, Scenarios).EfficientRisk(0.02));

    [Fact]
    public void Efficient_return_with_shorts_matches_pypfopt() =>
        AssertPair((0.26, 0.01804624747353764), new MeanCvarOptimizer(Mu, Scenarios, constraints: PortfolioConstraints.Box(20, -3, 3)).EfficientReturn(0.26));

    [Fact]
    public void Missing_scenarios_and_impossible_targets_are_refused()
    {
        Assert.Contains("need complete rows", Assert.Throws<QuantInputException>(() => new MeanCvarOptimizer(Returns.MeanHistorical(StockReturns), StockReturns)).Message);
        Assert.Contains("infeasible", Assert.Throws<QuantInputException>(() => new MeanCvarOptimizer(Mu, Scenarios).EfficientReturn(5)).Message);
    }
}
