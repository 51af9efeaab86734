using CroweLogic.Flow.Quant.Optimization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Evaluation;

/// <summary>Proper scoring rules and forecast combination (blueprint §16.1).</summary>
public static class ForecastScores
{
    /// <summary>CRPS of a Gaussian forecast N(μ, σ²) for outcome y (closed form, Gneiting et al. 2005).</summary>
    public static double CrpsGaussian(double mu, double sigma, double outcome)
    {
        if (!(sigma > 0) || !double.IsFinite(mu) || !double.IsFinite(outcome)) throw new QuantInputException("CRPS needs finite μ and outcome and a positive σ");
        var z = (outcome - mu) / sigma;
        return sigma * (z * (2 * Normal.CDF(0, 1, z) - 1) + 2 * Normal.PDF(0, 1, z) - 1 / Math.Sqrt(Math.PI));
    }

    /// <summary>CRPS of an ensemble (empirical distribution): E|X − y| − ½E|X − X′|, computed exactly in O(m log m).</summary>
    public static double CrpsEnsemble(IReadOnlyList<double> members, double outcome)
    {
        if (members.Count == 0) throw new QuantInputException("the ensemble is empty");
        var x = members.ToArray();
        if (x.Any(v => !double.IsFinite(v)) || !double.IsFinite(outcome)) throw new QuantInputException("the ensemble or outcome holds a non-finite value");
        Array.Sort(x);
        var m = x.Length;
        var first = x.Average(v => Math.Abs(v - outcome));
        // Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − m + 1) x_(i) for sorted x (0-based i).
        double pairs = 0;
        for (var i = 0; i < m; i++) pairs += (2.0 * i - m + 1) * x[i];
        return first - pairs / ((double)m * m);
    }

    /// <summary>Brier score: mean squared difference between probabilities and 0/1 outcomes.</summary>
    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<bool> outcomes)
    {
        if (probabilities.Count != outcomes.Count || probabilities.Count == 0) throw new QuantInputException("Brier needs one outcome per probability and at least one of each");
        if (probabilities.Any(p => !(p >= 0 && p <= 1))) throw new QuantInputException("probabilities must lie in [0, 1]");
        return probabilities.Zip(outcomes, (p, o) => (p - (o ? 1 : 0)) * (p - (o ? 1 : 0))).Average();
    }

    /// <summary>
    /// Ensemble weights on the simplex (w ≥ 0, Σw = 1) minimising ‖Fw − y‖² + λ‖w‖², F holding one column of forecasts per
    /// model (blueprint §16.1; λ &gt; 0 spreads weight across similar models).
    /// </summary>
    public static double[] SimplexLeastSquares(double[][] forecastsByModel, double[] outcomes, double ridge = 0)
    {
        if (!(ridge >= 0)) throw new QuantInputException("the ridge penalty must be non-negative");
        var k = forecastsByModel.Length;
        if (k == 0 || forecastsByModel.Any(f => f.Length != outcomes.Length) || outcomes.Length == 0)
            throw new QuantInputException("give at least one model with one forecast per outcome");
        var f = Matrix<double>.Build.Dense(outcomes.Length, k, (t, j) => forecastsByModel[j][t]);
        var y = Vector<double>.Build.DenseOfArray(outcomes);
        var constraints = Matrix<double>.Build.Dense(k + 1, k, (r, c) => r == 0 ? 1 : r - 1 == c ? 1 : 0);
        var lower = Vector<double>.Build.Dense(k + 1, r => r == 0 ? 1 : 0);
        var upper = Vector<double>.Build.Dense(k + 1, r => 1);
        var qp = new QuadraticProgram(2 * (f.TransposeThisAndMultiply(f) + ridge * Matrix<double>.Build.DenseIdentity(k)), -2 * f.TransposeThisAndMultiply(y), constraints, lower, upper);
        return [.. new AdmmQpSolver().Solve(qp).X];
    }

    /// <summary>Bayesian model averaging weights: posterior ∝ prior × exp(log-likelihood), computed stably.</summary>
    public static double[] ModelAveragingWeights(double[] logLikelihoods, double[]? priors = null)
    {
        var k = logLikelihoods.Length;
        var prior = priors ?? Enumerable.Repeat(1.0 / k, k).ToArray();
        if (k == 0 || prior.Length != k || prior.Any(p => !(p > 0)) || logLikelihoods.Any(double.IsNaN))
            throw new QuantInputException("give one log-likelihood and one positive prior per model");
        var logPost = logLikelihoods.Zip(prior, (l, p) => l + Math.Log(p)).ToArray();
        var max = logPost.Max();
        var weights = logPost.Select(v => Math.Exp(v - max)).ToArray();
        var total = weights.Sum();
        return [.. weights.Select(w => w / total)];
    }
}
