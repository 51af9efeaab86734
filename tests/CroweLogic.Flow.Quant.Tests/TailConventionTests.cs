using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Risk;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// The two tail conventions of historical VaR and ES: the interpolated quantile (numpy) and skfolio's order statistic with
/// the fractional-tail ES, against closed forms (exact), and the fractional-tail ES against the other CVaR routine —
/// the mean-CVaR linear program's value for the same fixed portfolio (1e-7, GLOP's tolerance).
/// </summary>
public class TailConventionTests
{
    // Twenty returns, the five worst −0.10, −0.08, −0.05, −0.03, −0.01.
    private static readonly double[] Returns = [0.02, -0.05, 0.01, -0.10, 0.03, 0.00, -0.01, 0.04, -0.08, 0.01, 0.02, -0.03, 0.05, 0.00, 0.01, 0.02, 0.03, 0.01, 0.02, 0.04];

    [Fact]
    public void The_order_statistic_convention_takes_skfolios_index_and_a_fractional_tail()
    {
        // α = 0.9: k = (1 − 0.9)·20 ≈ 2, i = 1: VaR the second worst, ES the mean of the two worst.
        Assert.Equal(0.08, TailRisk.HistoricalVaR(Returns, 0.9, TailConvention.OrderStatistic), 1e-15);
        Assert.Equal(0.09, TailRisk.HistoricalES(Returns, 0.9, TailConvention.OrderStatistic), 1e-15);
        // α = 0.875: k = 2.5, i = 2: VaR the third worst; ES (0.10 + 0.08 + 0.5 · 0.05) / 2.5.
        Assert.Equal(0.05, TailRisk.HistoricalVaR(Returns, 0.875, TailConvention.OrderStatistic), 1e-15);
        Assert.Equal((0.10 + 0.08 + (0.5 * 0.05)) / 2.5, TailRisk.HistoricalES(Returns, 0.875, TailConvention.OrderStatistic), 1e-15);
        // α = 0.99: k = 0.2 < 1: both are the worst return.
        Assert.Equal(0.10, TailRisk.HistoricalVaR(Returns, 0.99, TailConvention.OrderStatistic), 1e-15);
        Assert.Equal(0.10, TailRisk.HistoricalES(Returns, 0.99, TailConvention.OrderStatistic), 1e-15);
    }

    [Fact]
    public void The_interpolated_convention_is_numpys_linear_quantile()
    {
        // (T − 1)(1 − α) = 19 · 0.1 = 1.9: 0.1 of the way from the second worst to the third, negated.
        Assert.Equal(-(-0.08 + (0.9 * (-0.05 + 0.08))), TailRisk.HistoricalVaR(Returns, 0.9), 1e-12);
        Assert.Equal(TailRisk.HistoricalVaR(Returns, 0.9), TailRisk.HistoricalVaR(Returns, 0.9, TailConvention.Interpolated));
        // ES: the mean of the returns at or below that quantile (the two worst).
        Assert.Equal(0.09, TailRisk.HistoricalES(Returns, 0.9), 1e-12);
    }

    [Fact]
    public void The_fractional_tail_es_equals_the_mean_cvar_programs_value_for_the_same_portfolio()
    {
        var random = new Random(5);
        foreach (var (t, beta) in new[] { (200, 0.95), (137, 0.9), (250, 0.99) })
        {
            var rows = Enumerable.Range(0, t).Select(_ => Enumerable.Range(0, 4).Select(_ => 0.02 * (random.NextDouble() - 0.48)).ToArray()).ToArray();
            var scenarios = new Panel(["A", "B", "C", "D"], rows);
            double[] w = [0.4, 0.3, 0.2, 0.1];
            // The box pins the weights: the program's optimum is the CVaR of w itself.
            var pinned = new PortfolioConstraints(w, w);
            var lp = new MeanCvarOptimizer([0.01, 0.01, 0.01, 0.01], scenarios, beta, pinned).MinCvar();
            var book = rows.Select(r => r.Select((v, i) => v * w[i]).Sum()).ToArray();
            Assert.Equal(lp.Cvar, TailRisk.HistoricalES(book, beta, TailConvention.OrderStatistic), 1e-7);
        }
    }
}
