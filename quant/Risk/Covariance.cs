using CroweLogic.Flow.Quant.Data;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Risk;

/// <summary>Covariance estimators on return panels, annualised by <c>frequency</c> periods per year.</summary>
public static class Covariance
{
    /// <summary>
    /// Sample covariance (n−1) from pairwise-complete observations: each pair uses the rows where both assets have
    /// a return, with means over those rows (so assets listed at different dates keep all their history).
    /// A result that is not positive semidefinite is repaired spectrally (see <see cref="NearestPsd"/>).
    /// </summary>
    public static Matrix<double> Sample(Panel returns, int frequency = 252) => NearestPsd(PairwiseSample(returns) * frequency);

    // The pairwise-complete (n−1) sample covariance per period, unrepaired: pandas DataFrame.cov().
    private static Matrix<double> PairwiseSample(Panel returns)
    {
        var n = returns.ColumnCount;
        var columns = Enumerable.Range(0, n).Select(returns.Column).ToArray();
        var s = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        for (var j = i; j < n; j++)
        {
            var c = PairwiseCovariance(columns[i], columns[j], out var count);
            if (count < 2) throw new QuantInputException($"'{returns.Columns[i]}' and '{returns.Columns[j]}' share {count} observation(s); a covariance needs two");
            s[i, j] = s[j, i] = c;
        }
        return s;
    }

    /// <summary>
    /// Semicovariance (PyPortfolioOpt's <c>risk_models.semicovariance</c>): Dᵀ D / T · frequency with
    /// D_ti = min(r_ti − benchmark, 0), the co-movement of shortfalls below the benchmark only. A missing return counts as
    /// no shortfall (numpy's <c>fmin</c> ignores the NaN), and T counts every row. Positive semidefinite by construction.
    /// </summary>
    /// <param name="returns">Returns per period.</param>
    /// <param name="benchmark">The return per period below which a move is a shortfall (PyPortfolioOpt's default 0.000079, about 2 % a year daily).</param>
    /// <param name="frequency">Periods per year.</param>
    /// <exception cref="QuantInputException">No rows, or a non-finite benchmark.</exception>
    public static Matrix<double> Semicovariance(Panel returns, double benchmark = 0.000079, int frequency = 252)
    {
        if (returns.RowCount == 0) throw new QuantInputException("the semicovariance needs at least one row of returns");
        if (!double.IsFinite(benchmark)) throw new QuantInputException($"the benchmark must be finite, got {benchmark}");
        var (t, n) = (returns.RowCount, returns.ColumnCount);
        var drops = Matrix<double>.Build.Dense(t, n, (r, i) => returns[r, i] is var v && double.IsNaN(v) ? 0 : Math.Min(v - benchmark, 0));
        return drops.TransposeThisAndMultiply(drops) * (frequency / (double)t);
    }

    /// <summary>
    /// Pearson correlation from pairwise-complete observations: each pair's means and deviations come from the rows
    /// where both are present (pandas <c>DataFrame.corr()</c>).
    /// </summary>
    public static Matrix<double> SampleCorrelation(Panel returns)
    {
        var n = returns.ColumnCount;
        var columns = Enumerable.Range(0, n).Select(returns.Column).ToArray();
        var r = Matrix<double>.Build.DenseIdentity(n);
        for (var i = 0; i < n; i++)
        for (var j = i + 1; j < n; j++)
        {
            var c = PairwiseCovariance(columns[i], columns[j], out var count);
            var vi = PairwiseVariance(columns[i], columns[j], out _);
            var vj = PairwiseVariance(columns[j], columns[i], out _);
            if (count < 2 || vi == 0 || vj == 0) throw new QuantInputException($"the correlation of '{returns.Columns[i]}' and '{returns.Columns[j]}' is undefined (too few shared observations or a constant series)");
            r[i, j] = r[j, i] = Math.Clamp(c / Math.Sqrt(vi * vj), -1, 1);
        }
        return r;
    }

    /// <summary>
    /// Exponentially weighted covariance: each pair's co-deviations from the assets' own means, averaged with weights
    /// (1−α)^age, α = 2/(span+1), over the rows where both are present (pandas ewm(adjust=True) at the last row).
    /// </summary>
    public static Matrix<double> Exponential(Panel returns, double span = 180, int frequency = 252)
    {
        if (!(span >= 1)) throw new QuantInputException($"span must be at least 1, got {span}");
        var n = returns.ColumnCount;
        var t = returns.RowCount;
        var columns = Enumerable.Range(0, n).Select(returns.Column).ToArray();
        var means = columns.Select((c, i) => MeanOfPresent(c, returns.Columns[i])).ToArray();
        var decay = 1 - 2 / (span + 1);
        var s = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < n; i++)
        for (var j = i; j < n; j++)
        {
            double weighted = 0, weights = 0, w = 1;
            for (var k = t - 1; k >= 0; k--, w *= decay)
            {
                double x = columns[i][k], y = columns[j][k];
                if (double.IsNaN(x) || double.IsNaN(y)) continue;
                weighted += w * (x - means[i]) * (y - means[j]);
                weights += w;
            }
            if (weights == 0) throw new QuantInputException($"'{returns.Columns[i]}' and '{returns.Columns[j]}' share no observation");
            s[i, j] = s[j, i] = weighted / weights * frequency;
        }
        return s;
    }

    /// <summary>
    /// Ledoit–Wolf shrinkage towards a scaled identity (the average variance): the optimal intensity
    /// δ = min(b̄², d²)/d² of Ledoit &amp; Wolf (2004), on the biased covariance of the centred data. Missing values are
    /// taken as zero returns (the convention of sklearn and PyPortfolioOpt).
    /// </summary>
    public static ShrunkCovariance LedoitWolf(Panel returns, int frequency = 252)
    {
        var (x, sample, mu) = BiasedCentered(returns);
        int t = x.RowCount, p = x.ColumnCount;
        var x2 = x.PointwisePower(2);
        var b2 = x2.TransposeThisAndMultiply(x2).Enumerate().Sum() / ((double)t * t) - sample.FrobeniusNorm() * sample.FrobeniusNorm() / t;
        var target = Matrix<double>.Build.DenseIdentity(p) * mu;
        var d2 = Math.Pow((sample - target).FrobeniusNorm(), 2);
        var delta = d2 == 0 ? 0 : Math.Min(b2, d2) / d2;
        return new ShrunkCovariance(((1 - delta) * sample + delta * target) * frequency, delta);
    }

    /// <summary>
    /// Ledoit–Wolf (2004) shrinkage towards the constant-correlation matrix (sample variances, average pairwise
    /// correlation), with their consistent estimators of π, ρ and γ on the centred data with missing values as zero
    /// returns. The sample matrix S that is shrunk, and that the target and the estimators are built from, is chosen by
    /// <paramref name="sample"/>: the biased covariance of those centred data (the default, as the identity-target
    /// estimators here), or PyPortfolioOpt's pairwise-complete n−1 covariance. δ is clipped to [0, 1].
    /// </summary>
    public static ShrunkCovariance LedoitWolfConstantCorrelation(Panel returns, int frequency = 252, ShrinkageSample sample = ShrinkageSample.CenteredBiased)
    {
        var (x, biased, _) = BiasedCentered(returns);
        var s = sample == ShrinkageSample.PairwiseComplete ? PairwiseSample(returns) : biased;
        int t = x.RowCount, n = x.ColumnCount;
        if (n < 2) throw new QuantInputException("constant-correlation shrinkage needs at least two assets");
        var sd = Vector<double>.Build.Dense(n, i => Math.Sqrt(s[i, i]));
        for (var i = 0; i < n; i++) if (sd[i] == 0) throw new QuantInputException($"'{returns.Columns[i]}' is constant: its correlation is undefined");

        double rSum = 0;
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) if (i != j) rSum += s[i, j] / (sd[i] * sd[j]);
        var rBar = rSum / (n * (n - 1));
        var f = Matrix<double>.Build.Dense(n, n, (i, j) => i == j ? s[i, i] : rBar * sd[i] * sd[j]);

        // π: asymptotic variances of √T·s_ij; ρ: covariances of the target entries with the sample ones.
        var y = x.PointwisePower(2);
        var piMat = y.TransposeThisAndMultiply(y) / t - 2 * (x.TransposeThisAndMultiply(x) / t).PointwiseMultiply(s) + s.PointwisePower(2);
        var pi = piMat.Enumerate().Sum();
        var x3 = x.PointwisePower(3);
        var term1 = x3.TransposeThisAndMultiply(x) / t; // θ_ii,ij (first index cubed)
        // θ_ij = E[x_i³x_j]/T − h_ii·s_ij − h_ij·s_ii + s_ii·s_ij with h the centred second moments: when S is h itself
        // (the biased sample) the middle terms cancel to s_ii·s_ij; a pairwise S keeps all four, as PyPortfolioOpt does.
        var h = biased;
        var theta = Matrix<double>.Build.Dense(n, n, (i, j) => i == j ? 0 : term1[i, j] - h[i, i] * s[i, j] - h[i, j] * s[i, i] + s[i, i] * s[i, j]);
        double rho = 0;
        for (var i = 0; i < n; i++) rho += piMat[i, i];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            if (i == j) continue;
            rho += rBar / 2 * (sd[j] / sd[i] * theta[i, j] + sd[i] / sd[j] * theta[j, i]);
        }
        var gamma = Math.Pow((f - s).FrobeniusNorm(), 2);
        var delta = gamma == 0 ? 0 : Math.Clamp((pi - rho) / gamma / t, 0, 1);
        return new ShrunkCovariance((delta * f + (1 - delta) * s) * frequency, delta);
    }

    /// <summary>
    /// Oracle Approximating Shrinkage (Chen, Wiesel, Eldar &amp; Hero 2010) towards the scaled identity, in the form
    /// sklearn implements; biased covariance of the centred data, missing values as zero returns.
    /// </summary>
    public static ShrunkCovariance OracleApproximating(Panel returns, int frequency = 252)
    {
        var (x, s, mu) = BiasedCentered(returns);
        int t = x.RowCount, p = x.ColumnCount;
        var alpha = s.PointwisePower(2).Enumerate().Sum() / ((double)p * p);
        var numerator = alpha + mu * mu;
        var denominator = (t + 1) * (alpha - mu * mu / p);
        var delta = denominator == 0 ? 1 : Math.Min(numerator / denominator, 1);
        return new ShrunkCovariance(((1 - delta) * s + delta * mu * Matrix<double>.Build.DenseIdentity(p)) * frequency, delta);
    }

    /// <summary>
    /// The nearest positive semidefinite matrix in the spectral sense: negative eigenvalues set to zero. Returns the
    /// input unchanged when it is already PSD.
    /// </summary>
    /// <exception cref="QuantInputException">The matrix is not square, not symmetric, or holds non-finite values.</exception>
    public static Matrix<double> NearestPsd(Matrix<double> matrix)
    {
        Validate(matrix, "covariance");
        var evd = matrix.Evd(Symmetricity.Symmetric);
        if (evd.EigenValues.Real().Minimum() >= -1e-12 * Math.Max(1, matrix.Diagonal().AbsoluteMaximum())) return matrix;
        var clipped = Matrix<double>.Build.DenseOfDiagonalVector(evd.EigenValues.Real().Map(v => Math.Max(v, 0)));
        var fixedMatrix = evd.EigenVectors * clipped * evd.EigenVectors.Transpose();
        return (fixedMatrix + fixedMatrix.Transpose()) / 2;
    }

    /// <summary>Checks a covariance matrix: square, finite, symmetric (to 1e-10 relative).</summary>
    public static void Validate(Matrix<double> matrix, string what)
    {
        if (matrix.RowCount != matrix.ColumnCount) throw new QuantInputException($"{what} matrix is {matrix.RowCount}×{matrix.ColumnCount}, not square");
        if (matrix.RowCount == 0) throw new QuantInputException($"{what} matrix is empty");
        var scale = Math.Max(1e-300, matrix.Enumerate().Max(Math.Abs));
        for (var i = 0; i < matrix.RowCount; i++)
        for (var j = 0; j < matrix.ColumnCount; j++)
        {
            if (!double.IsFinite(matrix[i, j])) throw new QuantInputException($"{what} matrix holds {matrix[i, j]} at ({i}, {j})");
            if (Math.Abs(matrix[i, j] - matrix[j, i]) > 1e-10 * scale) throw new QuantInputException($"{what} matrix is not symmetric at ({i}, {j})");
        }
    }

    private static double PairwiseCovariance(double[] x, double[] y, out int count)
    {
        double sx = 0, sy = 0;
        count = 0;
        for (var k = 0; k < x.Length; k++)
        {
            if (double.IsNaN(x[k]) || double.IsNaN(y[k])) continue;
            Finite(x[k]);
            Finite(y[k]);
            sx += x[k];
            sy += y[k];
            count++;
        }
        if (count < 2) return double.NaN;
        double mx = sx / count, my = sy / count, c = 0;
        for (var k = 0; k < x.Length; k++)
            if (!double.IsNaN(x[k]) && !double.IsNaN(y[k])) c += (x[k] - mx) * (y[k] - my);
        return c / (count - 1);
    }

    // Variance of x over the rows where both x and y are present.
    private static double PairwiseVariance(double[] x, double[] y, out int count)
    {
        var masked = new double[x.Length];
        for (var k = 0; k < x.Length; k++) masked[k] = double.IsNaN(y[k]) ? double.NaN : x[k];
        return PairwiseCovariance(masked, masked, out count);
    }

    private static double MeanOfPresent(double[] column, string name)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in column)
        {
            if (double.IsNaN(v)) continue;
            Finite(v);
            sum += v;
            n++;
        }
        return n == 0 ? throw new QuantInputException($"'{name}' has no observations") : sum / n;
    }

    // The shrinkage estimators' common start: centred data (missing as zero), its biased covariance and mean variance.
    private static (Matrix<double> X, Matrix<double> S, double MeanVariance) BiasedCentered(Panel returns)
    {
        var x = CenteredZeroFilled(returns);
        var s = x.TransposeThisAndMultiply(x) / x.RowCount;
        return (x, s, s.Trace() / x.ColumnCount);
    }

    private static Matrix<double> CenteredZeroFilled(Panel returns)
    {
        if (returns.RowCount < 2) throw new QuantInputException($"{returns.RowCount} observation(s): a covariance needs two");
        var x = Matrix<double>.Build.Dense(returns.RowCount, returns.ColumnCount, (t, i) =>
        {
            var v = returns[t, i];
            if (double.IsNaN(v)) return 0;
            Finite(v);
            return v;
        });
        for (var i = 0; i < x.ColumnCount; i++)
        {
            var column = x.Column(i);
            x.SetColumn(i, column - column.Average());
        }
        return x;
    }

    private static void Finite(double v)
    {
        if (double.IsInfinity(v)) throw new QuantInputException("returns hold an infinite value");
    }
}

/// <summary>A shrunk covariance matrix and the shrinkage intensity that produced it.</summary>
/// <param name="Matrix">The annualised shrunk covariance.</param>
/// <param name="Shrinkage">Weight on the target, in [0, 1].</param>
public sealed record ShrunkCovariance(Matrix<double> Matrix, double Shrinkage);
