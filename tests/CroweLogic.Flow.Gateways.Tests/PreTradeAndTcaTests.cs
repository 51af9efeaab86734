using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Quant.Execution;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Pre-trade limits by breach, and TCA against hand computation and its accounting identity.</summary>
public class PreTradeAndTcaTests
{
    private static readonly PreTradeLimits Limits = new(MaxQuantity: 10_000, MaxNotional: 1_000_000, PriceBand: 0.05, MaxAdvFraction: 0.1);

    private static Order Order(double quantity, double? limit) =>
        new("o", "", "MSFT", 0, Side.Buy, limit is null ? OrderType.Market : OrderType.Limit, TimeInForce.Day, quantity, limit, null, "", "", "", []);

    [Fact]
    public void A_clean_order_passes() => Assert.Empty(Limits.Breaches(Order(1_000, 100.5), 100, 1_000_000));

    [Theory]
    [InlineData(20_000, 40.0, "quantity 20000 exceeds the maximum 10000")]
    [InlineData(9_000, 120.0, "notional 1,080,000 exceeds the maximum 1,000,000")]
    [InlineData(100, 106.0, "limit price 106 is 6.00% from the reference 100 (band 5.00%)")]
    [InlineData(5_000, 100.0, "quantity 5000 is 12.50% of ADV 40,000 (fat-finger limit 10.00%)")]
    public void Each_breach_is_named_with_its_numbers(double quantity, double limit, string expected)
    {
        var reference = limit == 40.0 ? 40 : 100;
        Assert.Contains(expected, Limits.Breaches(Order(quantity, limit), reference, 40_000));
    }

    [Fact]
    public void Orders_that_cannot_be_checked_are_refused()
    {
        Assert.Contains("no valid reference price", Limits.Breaches(Order(100, 100), double.NaN, 0).Single());
        Assert.Contains("not a positive number", Limits.Breaches(Order(-5, 100), 100, 0).Single());
    }

    private static ExecutionReport Fill(double qty, double price, double fee = 0) =>
        new("e", "o", "MSFT", 0, ExecType.Trade, OrderStatus.PartiallyFilled, Side.Buy, qty, price, 0, 0, 0, fee, "V", "taker", "");

    [Fact]
    public void Tca_matches_a_hand_computed_buy()
    {
        // Decision 100.00, arrival mid 100.10; fills 600 @ 100.20 and 200 @ 100.40 (fees 4); 200 unfilled, end 100.50.
        var report = TransactionCostAnalysis.Analyze(Side.Buy, 1_000, [Fill(600, 100.20, 3), Fill(200, 100.40, 1)], 100.00, 100.10, 100.25, 100.50, 100.30);
        Assert.Equal(800, report.Filled);
        Assert.Equal(100.25, report.AveragePrice, 10);
        Assert.Equal(80, report.DelayCost, 9);            // 0.10 × 800
        Assert.Equal(120, report.ExecutionCost, 9);       // (100.25 − 100.10) × 800
        Assert.Equal(100, report.OpportunityCost, 9);     // (100.50 − 100.00) × 200
        Assert.Equal(4, report.Fees, 12);
        Assert.Equal(304 / (1_000 * 100.0) * 1e4, report.ShortfallBps, 9);
        Assert.Equal((100.25 / 100.10 - 1) * 1e4, report.ArrivalSlippageBps, 9);
        Assert.Equal(0, report.VwapSlippageBps, 9);
        Assert.Equal((100.30 / 100.10 - 1) * 1e4, report.PermanentImpactBps, 9);
        Assert.Equal(report.ArrivalSlippageBps - report.PermanentImpactBps, report.TemporaryImpactBps, 12);
    }

    [Fact]
    public void The_shortfall_components_add_up_to_the_paper_portfolio_difference()
    {
        var rnd = new Random(4);
        for (var trial = 0; trial < 50; trial++)
        {
            var side = rnd.Next(2) == 0 ? Side.Buy : Side.Sell;
            var fills = Enumerable.Range(0, rnd.Next(0, 6)).Select(_ => Fill(rnd.Next(1, 200), 50 + rnd.NextDouble(), rnd.NextDouble())).ToList();
            var quantity = fills.Sum(f => f.LastQty) + rnd.Next(0, 300) + 1;
            var (decision, arrival, end) = (50 + rnd.NextDouble(), 50 + rnd.NextDouble(), 50 + rnd.NextDouble());
            var report = TransactionCostAnalysis.Analyze(side, quantity, fills, decision, arrival, 50.5, end, 50.5);
            // Paper portfolio: all at the decision price; real: fills at their prices plus fees, the rest marked at the end price.
            var sign = side == Side.Buy ? 1 : -1;
            var filled = fills.Sum(f => f.LastQty);
            var direct = sign * (fills.Sum(f => f.LastQty * f.LastPrice) - decision * filled) + sign * (end - decision) * (quantity - filled) + fills.Sum(f => f.Fee);
            Assert.Equal(direct, report.Shortfall, 1e-8);
        }
    }

    [Fact]
    public void The_model_impact_is_the_square_root_law()
    {
        var report = TransactionCostAnalysis.Analyze(Side.Sell, 10_000, [Fill(10_000, 99.9)], 100, 100, 100, 100, 99.95, averageDailyVolume: 1_000_000, dailyVolatility: 0.02);
        Assert.Equal(SquareRootImpact.Fraction(10_000, 1_000_000, 0.02) * 1e4, report.ModelImpactBps, 12);
        Assert.Equal(10, report.ArrivalSlippageBps, 9); // a sale 10 bps below arrival is a 10 bps cost
        Assert.Throws<ArgumentException>(() => TransactionCostAnalysis.Analyze(Side.Buy, 100, [Fill(200, 1)], 1, 1, 1, 1, 1));
    }
}
