using CroweLogic.Flow.Quant.Portfolio;

namespace CroweLogic.Flow.Quant.Tests;

public class LotRoundingTests
{
    [Fact]
    public void Cp_sat_matches_brute_force_enumeration()
    {
        double[] w = [0.45, 0.35, 0.2], prices = [37.21, 101.5, 12.07];
        int[] lot = [10, 1, 100];
        const double capital = 5_000;
        var result = LotRounding.Round(w, prices, capital, lot);
        Assert.True(result.Optimal);

        // Second method: every lot combination within the budget.
        var best = double.PositiveInfinity;
        for (var a = 0; a * 372.1 <= capital; a++)
        for (var b = 0; a * 372.1 + b * 101.5 <= capital; b++)
        for (var c = 0; a * 372.1 + b * 101.5 + c * 1207 <= capital; c++)
            best = Math.Min(best, Math.Abs(a * 372.1 - 2250) + Math.Abs(b * 101.5 - 1750) + Math.Abs(c * 1207 - 1000));
        Assert.Equal(best, result.TrackingError, 1e-6);
        Assert.True(result.Leftover >= 0);
        Assert.Equal(result.Lots.Zip(lot, (l, s) => l * s), result.Shares);
    }

    [Fact]
    public void Minimum_lots_are_respected_or_the_position_is_dropped()
    {
        // A 1 % target in a 100-share lot of a $50 stock is $100 of a $5 000 lot: hold 0 or at least 2 lots.
        var result = LotRounding.Round([0.99, 0.01], [10, 50], 10_000, [1, 100], minimumLots: [1, 2]);
        Assert.True(result.Lots[1] == 0 || result.Lots[1] >= 2);
        Assert.Equal(0, result.Lots[1]);
    }

    [Fact]
    public void Invalid_requests_are_refused()
    {
        Assert.Contains("long-only", Assert.Throws<QuantInputException>(() => LotRounding.Round([0.6, 0.6], [1, 1], 100, [1, 1])).Message);
        Assert.Contains("positive", Assert.Throws<QuantInputException>(() => LotRounding.Round([0.5], [0], 100, [1])).Message);
    }
}
