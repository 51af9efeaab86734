using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Risk;

/// <summary>
/// The turbulence index (Kritzman &amp; Li 2010): the Mahalanobis distance of today's return vector from its history,
/// d_t = (r_t − μ)ᵀΣ⁻¹(r_t − μ). Under multivariate normality it is χ² with n degrees of freedom.
/// </summary>
public static class Turbulence
{
    /// <summary>Turbulence of one observation given the historical mean and covariance (same period scale).</summary>
    public static double Index(double[] returns, double[] mean, Matrix<double> covariance)
    {
        Covariance.Validate(covariance, "covariance");
        if (returns.Length != covariance.RowCount || mean.Length != covariance.RowCount) throw new QuantInputException("returns, mean and covariance must have one entry per asset");
        if (returns.Any(v => !double.IsFinite(v))) throw new QuantInputException("the return vector holds a non-finite value");
        var d = Vector<double>.Build.DenseOfArray(returns) - Vector<double>.Build.DenseOfArray(mean);
        try
        {
            return d * covariance.Cholesky().Solve(d);
        }
        catch (ArgumentException)
        {
            throw new QuantInputException("the covariance matrix is singular: turbulence needs it positive definite (use a shrinkage estimator)");
        }
    }

    /// <summary>The χ²ₙ tail probability of an index value (small values flag unusual days).</summary>
    public static double TailProbability(double index, int assets) => 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(assets, index);
}
