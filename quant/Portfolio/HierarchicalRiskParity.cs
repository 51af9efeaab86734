using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Hierarchical Risk Parity (López de Prado 2016): single-linkage clustering on the correlation distance
/// √((1−ρ)/2), quasi-diagonal ordering of the assets by the dendrogram's leaf order, then recursive bisection of that
/// ordered list, splitting weight between halves in inverse proportion to their inverse-variance-portfolio variance.
/// </summary>
public static class HierarchicalRiskParity
{
    /// <summary>HRP weights (long-only, summing to one) and the leaf order used.</summary>
    public sealed record Result(double[] Weights, int[] Order);

    /// <summary>Allocates from a covariance matrix and its correlation matrix (which may come from a different estimator).</summary>
    /// <exception cref="QuantInputException">Shapes differ, a variance is not positive, or a correlation lies outside [−1, 1].</exception>
    public static Result Allocate(Matrix<double> covariance, Matrix<double> correlation)
    {
        Risk.Covariance.Validate(covariance, "covariance");
        Risk.Covariance.Validate(correlation, "correlation");
        var n = covariance.RowCount;
        if (correlation.RowCount != n) throw new QuantInputException($"covariance is {n}×{n} but correlation is {correlation.RowCount}×{correlation.RowCount}");
        for (var i = 0; i < n; i++)
            if (!(covariance[i, i] > 0)) throw new QuantInputException($"asset {i} has variance {covariance[i, i]}; HRP needs positive variances");

        var distance = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            var rho = correlation[i, j];
            if (rho < -1 - 1e-9 || rho > 1 + 1e-9) throw new QuantInputException($"correlation ({i}, {j}) = {rho} is outside [−1, 1]");
            distance[i, j] = i == j ? 0 : Math.Sqrt(Math.Clamp((1 - rho) / 2, 0, 1));
        }
        // Symmetrise exactly: the clustering compares distances for equality.
        for (var i = 0; i < n; i++) for (var j = 0; j < i; j++) distance[j, i] = distance[i, j];

        var order = n == 1 ? [0] : SingleLinkage.LeafOrder(SingleLinkage.Cluster(distance));
        var weights = Enumerable.Repeat(1.0, n).ToArray();
        var clusters = new List<int[]> { order };
        while (clusters.Count > 0)
        {
            clusters = [.. clusters.Where(c => c.Length > 1).SelectMany(c => new[] { c[..(c.Length / 2)], c[(c.Length / 2)..] })];
            for (var k = 0; k < clusters.Count; k += 2)
            {
                double first = ClusterVariance(covariance, clusters[k]), second = ClusterVariance(covariance, clusters[k + 1]);
                var alpha = 1 - first / (first + second);
                foreach (var i in clusters[k]) weights[i] *= alpha;
                foreach (var i in clusters[k + 1]) weights[i] *= 1 - alpha;
            }
        }
        return new Result(weights, order);
    }

    /// <summary>Variance of the inverse-variance portfolio of a cluster.</summary>
    public static double ClusterVariance(Matrix<double> covariance, IReadOnlyList<int> items)
    {
        var sub = Matrix<double>.Build.Dense(items.Count, items.Count, (a, b) => covariance[items[a], items[b]]);
        var w = Vector<double>.Build.Dense(items.Count, a => 1 / sub[a, a]);
        w /= w.Sum();
        return w * sub * w;
    }

    /// <summary>Correlation matrix of a covariance matrix.</summary>
    public static Matrix<double> ToCorrelation(Matrix<double> covariance)
    {
        var sd = covariance.Diagonal().Map(Math.Sqrt);
        return Matrix<double>.Build.Dense(covariance.RowCount, covariance.ColumnCount, (i, j) => i == j ? 1 : covariance[i, j] / (sd[i] * sd[j]));
    }
}
