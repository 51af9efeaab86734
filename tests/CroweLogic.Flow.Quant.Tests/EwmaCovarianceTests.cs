using CroweLogic.Flow.Quant.Risk;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>The online RiskMetrics covariance against its closed form Σ_T = Σ_t (1 − λ)λ^(T−1−t) r_t r_tᵀ, summed directly (tolerance 1e-15 absolute on values of order 1e-4).</summary>
public class EwmaCovarianceTests
{
    [Fact]
    public void The_recursion_equals_the_weighted_sum_of_outer_products_and_grows_with_new_assets()
    {
        var random = new Random(3);
        const double lambda = 0.94;
        var ewma = new EwmaCovariance(lambda);
        var history = new List<double[]>();
        for (var t = 0; t < 300; t++)
        {
            // Three assets for 100 periods, then five (two listed late), and asset 1 sometimes without a return.
            var n = t < 100 ? 3 : 5;
            var r = Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * 0.04).ToArray();
            if (t % 7 == 0) r[1] = double.NaN;
            ewma.Update(r);
            history.Add(r);
        }
        Assert.Equal(5, ewma.Dimension);
        Assert.Equal(300, ewma.Observations);
        for (var i = 0; i < 5; i++)
            for (var j = 0; j < 5; j++)
            {
                double expected = 0;
                for (var t = 0; t < history.Count; t++)
                {
                    double Value(int k) => k < history[t].Length && !double.IsNaN(history[t][k]) ? history[t][k] : 0;
                    expected += (1 - lambda) * Math.Pow(lambda, history.Count - 1 - t) * Value(i) * Value(j);
                }
                Assert.Equal(expected, ewma.Covariance(i, j), 1e-15);
            }
        // yᵀRy against the explicit double sum over the correlation matrix.
        double[] y = [0.01, 0, -0.02, 0.005, 0.03];
        double explicitSum = 0;
        for (var i = 0; i < 5; i++)
            for (var j = 0; j < 5; j++) explicitSum += y[i] * y[j] * ewma.Correlation(i, j);
        Assert.Equal(explicitSum, ewma.CorrelatedVariance(y), 1e-15);
        Assert.Equal(1, ewma.Correlation(2, 2));
        Assert.Equal(0, new EwmaCovariance(0.9).Correlation(0, 1));
    }

    [Fact]
    public void Bad_input_is_refused_with_its_reason()
    {
        Assert.Contains("decay must lie in (0, 1)", Assert.Throws<QuantInputException>(() => new EwmaCovariance(1)).Message);
        Assert.Contains("asset 1 has an infinite return", Assert.Throws<QuantInputException>(() => new EwmaCovariance(0.9).Update([0.01, double.PositiveInfinity])).Message);
    }
}
