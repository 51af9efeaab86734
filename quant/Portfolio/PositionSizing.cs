using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>Kelly-tempered sizing and volatility targeting (blueprint §6.2, §16.3).</summary>
public static class PositionSizing
{
    /// <summary>
    /// Kelly-tempered weights f = λ·Σ⁻¹μ (the growth-optimal leverage for log utility with Gaussian returns, scaled by λ ∈ (0, 1]),
    /// with gross exposure capped at <paramref name="grossCap"/> by uniform scaling.
    /// </summary>
    public static double[] KellyTempered(double[] expectedExcessReturns, Matrix<double> covariance, double lambda, double grossCap = double.PositiveInfinity)
    {
        Risk.Covariance.Validate(covariance, "covariance");
        if (!(lambda > 0 && lambda <= 1)) throw new QuantInputException($"the Kelly fraction λ must lie in (0, 1], got {lambda}");
        if (!(grossCap > 0)) throw new QuantInputException("the gross cap must be positive");
        if (expectedExcessReturns.Length != covariance.RowCount || expectedExcessReturns.Any(v => !double.IsFinite(v)))
            throw new QuantInputException("one finite expected excess return per asset is required");
        var cholesky = covariance.Cholesky();
        var f = lambda * cholesky.Solve(Vector<double>.Build.DenseOfArray(expectedExcessReturns));
        var gross = f.L1Norm();
        return [.. gross > grossCap ? f * (grossCap / gross) : f];
    }

    /// <summary>
    /// Volatility targeting: the leverage that brings forecast volatility to the target, capped at <paramref name="maxLeverage"/>.
    /// </summary>
    public static double VolatilityTargetLeverage(double forecastVolatility, double targetVolatility, double maxLeverage = 1)
    {
        if (!(forecastVolatility > 0) || !(targetVolatility > 0) || !(maxLeverage > 0))
            throw new QuantInputException("volatility targeting needs positive forecast volatility, target and leverage cap");
        return Math.Min(maxLeverage, targetVolatility / forecastVolatility);
    }
}
