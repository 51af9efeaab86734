namespace CroweLogic.Flow.Quant.Execution;

/// <summary>
/// The square-root law of market impact: expected impact ≈ Y·σ·√(Q/V), with σ the daily volatility (as a return),
/// Q the order size and V the daily volume; Y is of order one and calibrated from TCA.
/// </summary>
public static class SquareRootImpact
{
    /// <summary>Expected impact as a fraction of price.</summary>
    /// <exception cref="QuantInputException">Negative or non-finite inputs, or zero volume.</exception>
    public static double Fraction(double orderShares, double dailyVolume, double dailyVolatility, double y = 1.0)
    {
        if (!(orderShares >= 0) || !(dailyVolume > 0) || !(dailyVolatility >= 0) || !(y >= 0) || !double.IsFinite(orderShares + dailyVolume + dailyVolatility + y))
            throw new QuantInputException("square-root impact needs a non-negative order, positive daily volume, and non-negative volatility and Y");
        return y * dailyVolatility * Math.Sqrt(orderShares / dailyVolume);
    }
}
