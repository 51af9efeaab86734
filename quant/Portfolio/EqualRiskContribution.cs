using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Equal risk contribution (risk parity, long-only, fully invested): every asset contributes the same share of
/// portfolio variance, w_i(Σw)_i = wᵀΣw / n. Solved as the strictly convex problem min ½yᵀΣy − (1/n)Σ log y_i
/// (Spinu 2013) by Newton's method with a backtracking line search, then w = y / Σy.
/// </summary>
public static class EqualRiskContribution
{
    /// <summary>ERC weights, optionally with risk budgets b (default equal; must be positive and sum to one).</summary>
    /// <exception cref="QuantInputException">Σ is not positive definite, or the budgets are invalid.</exception>
    public static double[] Weights(Matrix<double> covariance, double[]? budgets = null)
    {
        Risk.Covariance.Validate(covariance, "covariance");
        var n = covariance.RowCount;
        var b = Vector<double>.Build.DenseOfArray(budgets ?? Enumerable.Repeat(1.0 / n, n).ToArray());
        if (b.Count != n || b.Any(v => !(v > 0)) || Math.Abs(b.Sum() - 1) > 1e-9) throw new QuantInputException("risk budgets must be positive, one per asset, and sum to one");
        // Rounding leaves a singular matrix's smallest eigenvalue a hair either side of zero: judge it against the largest.
        var eigenvalues = covariance.Evd(Symmetricity.Symmetric).EigenValues.Real();
        if (eigenvalues.Minimum() <= 1e-12 * eigenvalues.Maximum())
            throw new QuantInputException($"equal risk contribution needs a positive definite covariance matrix (eigenvalues from {eigenvalues.Minimum():G3} to {eigenvalues.Maximum():G3})");

        // Start from inverse volatility, scaled so the objective's two terms are comparable.
        var y = Vector<double>.Build.Dense(n, i => 1 / Math.Sqrt(covariance[i, i]));
        y /= Math.Sqrt(y * covariance * y);
        double F(Vector<double> v) => 0.5 * (v * covariance * v) - b * v.Map(Math.Log);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var gradient = covariance * y - b.PointwiseDivide(y);
            if (gradient.InfinityNorm() < 1e-14) break;
            var hessian = covariance + Matrix<double>.Build.DenseOfDiagonalVector(b.PointwiseDivide(y.PointwiseMultiply(y)));
            var step = hessian.Cholesky().Solve(gradient);
            // Armijo on F while far from the optimum; near it F's changes fall below rounding, so only positivity is
            // enforced and Newton's quadratic convergence finishes the job.
            var t = 1.0;
            var f0 = F(y);
            var far = gradient.InfinityNorm() > 1e-8;
            while (t > 1e-12)
            {
                var candidate = y - t * step;
                if (candidate.All(v => v > 0) && (!far || F(candidate) <= f0 - 1e-4 * t * (gradient * step))) break;
                t /= 2;
            }
            y -= t * step;
        }
        return [.. y / y.Sum()];
    }

    /// <summary>Each asset's share of portfolio variance, w_i(Σw)_i / wᵀΣw.</summary>
    public static double[] RiskContributions(Matrix<double> covariance, IReadOnlyList<double> weights)
    {
        var w = Vector<double>.Build.DenseOfEnumerable(weights);
        var marginal = covariance * w;
        var total = w * marginal;
        return [.. w.PointwiseMultiply(marginal) / total];
    }
}
