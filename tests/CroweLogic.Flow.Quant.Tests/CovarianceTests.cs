using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using static CroweLogic.Flow.Quant.Tests.PyPortfolioOptReference;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>Risk models against PyPortfolioOpt's asserted values and the independent oracle; tolerances are stated per test.</summary>
public class CovarianceTests
{
    private static readonly Panel DummyPrices = new(["A", "B", "C"],
    [
        [4.0, 2.0, 0.6], [4.2, 2.1, 0.59], [3.9, 2.0, 0.58], [4.3, 2.1, 0.62], [4.1, 2.2, 0.63],
    ]);

    [Fact]
    public void Semicovariance_counts_only_shortfalls_below_the_benchmark()
    {
        // Closed form on three rows: D = min(r − 0.01, 0) = [[−0.03, 0], [0, −0.01], [NaN → 0, −0.04]]; DᵀD / 3 · 2.
        var returns = new Panel(["A", "B"], [[-0.02, 0.05], [0.04, 0.0], [double.NaN, -0.03]]);
        var s = Covariance.Semicovariance(returns, benchmark: 0.01, frequency: 2);
        Assert.Equal(0.0009 * 2 / 3, s[0, 0], 1e-15);
        Assert.Equal(0.0017 * 2 / 3, s[1, 1], 1e-15);
        Assert.Equal(0, s[0, 1], 1e-15);
        Assert.Throws<QuantInputException>(() => Covariance.Semicovariance(new Panel(["A"], []), 0));
        Assert.Throws<QuantInputException>(() => Covariance.Semicovariance(returns, double.NaN));
    }

    [Fact]
    public void Sample_covariance_of_the_dummy_prices_matches_pypfopt()
    {
        // test_sample_cov_dummy (pypfopt tolerance rtol 1e-5; we hold 1e-12).
        var expected = Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 0.006661687937656102, 0.00264970955585574, 0.0020849735375206195 },
            { 0.00264970955585574, 0.0023450491307634215, 0.00096770864287974 },
            { 0.0020849735375206195, 0.00096770864287974, 0.0016396416271856837 },
        });
        AssertClose(expected, Covariance.Sample(Returns.FromPrices(DummyPrices), frequency: 1), 1e-12);
    }

    [Fact]
    public void Log_return_covariance_of_the_dummy_prices_matches_pypfopt()
    {
        // test_sample_cov_log_dummy (pypfopt: atol 1e-5 on values printed to 6 decimals).
        var expected = Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 0.006507, 0.002652, 0.001965 }, { 0.002652, 0.002345, 0.000950 }, { 0.001965, 0.000950, 0.001561 },
        });
        AssertClose(expected, Covariance.Sample(Returns.FromPrices(DummyPrices, log: true), frequency: 1), 0, 1e-5);
    }

    [Fact]
    public void Pairwise_sample_covariance_of_the_stock_set_matches_the_oracle()
    {
        var s = Covariance.Sample(StockReturns);
        AssertClose(Matrix("pypfopt_stock_prices_sample_cov_x252.csv", StockReturns.Columns), s, 1e-10);
        Assert.Equal(3.451110107285, s.Trace(), 9);
        // test_volatility: w = 1/20, w'Sw (pypfopt almost(7)).
        var w = Vector<double>.Build.Dense(20, 1.0 / 20);
        Assert.Equal(0.04498224489292057, w * s * w, 1e-10);
        // test_ex_ante_tracking_error: first five at 0.2 vs equal weight.
        var p = Vector<double>.Build.Dense(20, i => i < 5 ? 0.2 : 0);
        Assert.Equal(0.028297778946639436, (p - w) * s * (p - w), 1e-10);
    }

    [Fact]
    public void Mean_historical_return_matches_pypfopt()
    {
        // test_mean_historical_returns (almost(6): |diff| < 1.5e-6).
        double[] expected = [0.247967, 0.294304, 0.284037, 0.1923164, 0.371327, 0.1360093, 0.0328503, 0.1200115, 0.105540, 0.0423457, 0.1002559, 0.1442237, -0.0792602, 0.1430506, 0.0736356, 0.238835, 0.388665, 0.226717, 0.1561701, 0.2318153];
        var mu = Returns.MeanHistorical(StockReturns);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - mu[i]) < 1.5e-6, $"{StockReturns.Columns[i]}: {mu[i]} vs {expected[i]}");
    }

    [Fact]
    public void Mean_historical_return_of_the_dummy_prices_matches_pypfopt()
    {
        // test_mean_historical_returns_dummy, frequency 1 (rtol 1e-3).
        var prices = new Panel(["a", "b", "c", "d"], [[4.0, 2.0, 0.6, -12], [4.2, 2.1, 0.59, -13.2], [3.9, 2.0, 0.58, -11.3], [4.3, 2.1, 0.62, -11.7], [4.1, 2.2, 0.63, -10.1]]);
        // pypfopt accepts the negative "price"; we refuse it: a price must be positive.
        var error = Assert.Throws<QuantInputException>(() => Returns.FromPrices(prices));
        Assert.Contains("price of 'd' at row 0 is -12", error.Message);
        var positive = prices.Select([0, 1, 2]);
        double[] compounded = [0.0061922, 0.0241137, 0.0122722], arithmetic = [0.0086560, 0.0250000, 0.0128697];
        var r = Returns.FromPrices(positive);
        var g = Returns.MeanHistorical(r, compounding: true, frequency: 1);
        var a = Returns.MeanHistorical(r, compounding: false, frequency: 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(compounded[i], g[i], compounded[i] * 1e-3);
            Assert.Equal(arithmetic[i], a[i], arithmetic[i] * 1e-3);
        }
    }

    [Fact]
    public void Ledoit_Wolf_matches_sklearn_on_the_stock_set()
    {
        var lw = Covariance.LedoitWolf(StockReturns);
        Assert.Equal(0.0062561033675371065, lw.Shrinkage, 1e-13);
        AssertClose(Matrix("pypfopt_stock_prices_ledoitwolf_x252.csv", StockReturns.Columns), lw.Matrix, 1e-10);
    }

    [Fact]
    public void Exponential_covariance_matches_pandas_ewm()
    {
        var s = Covariance.Exponential(StockReturns, span: 180);
        AssertClose(Matrix("pypfopt_stock_prices_exp_cov_span180_x252.csv", StockReturns.Columns), s, 1e-9);
    }

    [Fact]
    public void Exponential_covariance_with_a_huge_span_is_the_sample_covariance()
    {
        // test_exp_cov_limits: max |exp_cov(span=1e20) − sample_cov| < 1e-3. (ddof differs: 1/n vs 1/(n−1).)
        var diff = Covariance.Exponential(StockReturns, span: 1e20) - Covariance.Sample(StockReturns);
        Assert.True(diff.Enumerate().Max(Math.Abs) < 1e-3);
    }

    [Fact]
    public void Constant_correlation_target_is_exact_for_two_assets()
    {
        // With two assets the sample correlation is the average correlation: the target equals the sample, γ = 0, δ = 0.
        var r = Returns.FromPrices(DummyPrices).Select([0, 1]);
        var shrunk = Covariance.LedoitWolfConstantCorrelation(r, frequency: 1);
        Assert.Equal(0, shrunk.Shrinkage);
        var x = Matrix<double>.Build.Dense(r.RowCount, 2, (t, i) => r[t, i]);
        var biased = Matrix<double>.Build.Dense(2, 2, (i, j) =>
            Enumerable.Range(0, r.RowCount).Sum(t => (x[t, i] - x.Column(i).Average()) * (x[t, j] - x.Column(j).Average())) / r.RowCount);
        AssertClose(biased, shrunk.Matrix, 1e-12);
    }

    [Fact]
    public void Shrinkage_intensities_lie_in_the_unit_interval_and_results_are_psd() =>
        Prop.ForAll(Arb.From(Gen.Choose(3, 6).SelectMany(n => Gen.Choose(n + 2, 40).Select(t => (n, t)))), dims =>
        {
            var rnd = new Random(dims.n * 1000 + dims.t);
            var rows = Enumerable.Range(0, dims.t).Select(_ => Enumerable.Range(0, dims.n).Select(_ => rnd.NextDouble() * 0.04 - 0.02).ToArray()).ToArray();
            var panel = new Panel([.. Enumerable.Range(0, dims.n).Select(i => $"a{i}")], rows);
            foreach (var shrunk in new[] { Covariance.LedoitWolf(panel), Covariance.LedoitWolfConstantCorrelation(panel), Covariance.OracleApproximating(panel) })
            {
                if (shrunk.Shrinkage is < 0 or > 1) return false;
                if (shrunk.Matrix.Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum() < -1e-12) return false;
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Oas_matches_its_closed_form()
    {
        // Orthogonal zero-mean columns built so the biased covariance is exactly S = diag(2, 1) with T = 32:
        // μ = 1.5, α = mean(S²) = 1.25, δ = (α + μ²) / ((T + 1)(α − μ²/p)) = 3.5 / (33 · 0.125).
        var rows = Enumerable.Range(0, 32).Select(t => new[] { Math.Sqrt(2) * (t % 2 == 0 ? 1 : -1), t % 4 < 2 ? 1.0 : -1.0 }).ToArray();
        var oas = Covariance.OracleApproximating(new Panel(["a", "b"], rows), frequency: 1);
        var delta = 3.5 / (33 * 0.125);
        Assert.Equal(delta, oas.Shrinkage, 1e-13);
        AssertClose(Matrix<double>.Build.DenseOfArray(new[,] { { (1 - delta) * 2 + delta * 1.5, 0 }, { 0, (1 - delta) + delta * 1.5 } }), oas.Matrix, 1e-13, 1e-15);

        // An isotropic sample (S = μI) has a zero denominator: sklearn's rule shrinks fully to the (identical) target.
        var iso = Enumerable.Range(0, 8).Select(t => new[] { t % 2 == 0 ? 1.0 : -1.0, t % 4 < 2 ? 1.0 : -1.0 }).ToArray();
        Assert.Equal(1, Covariance.OracleApproximating(new Panel(["a", "b"], iso), frequency: 1).Shrinkage);
    }

    [Fact]
    public void A_non_psd_matrix_is_repaired_spectrally()
    {
        // test_sample_cov_npd.
        var s = Matrix<double>.Build.DenseOfArray(new[,] { { 0.03818144, 0.04182824 }, { 0.04182824, 0.04149209 } });
        Assert.True(s.Evd().EigenValues.Real().Minimum() < 0);
        var fixedMatrix = Covariance.NearestPsd(s);
        Assert.True(fixedMatrix.Evd().EigenValues.Real().Minimum() >= -1e-15);
        Assert.True((fixedMatrix - s).FrobeniusNorm() < 0.01);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_problem_named()
    {
        Assert.Contains("price of 'A' at row 1 is NaN", Assert.Throws<QuantInputException>(() =>
            Returns.FromPrices(new Panel(["A"], [[1.0], [double.PositiveInfinity]]))).Message.Replace("∞", "NaN").Replace("Infinity", "NaN"));
        Assert.Contains("share 1 observation", Assert.Throws<QuantInputException>(() => Covariance.Sample(new Panel(["A", "B"], [[0.01, 0.02]]))).Message);
        Assert.Contains("not symmetric", Assert.Throws<QuantInputException>(() =>
            Covariance.NearestPsd(Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 0.5 }, { 0.1, 1.0 } }))).Message);
        Assert.Contains("constant", Assert.Throws<QuantInputException>(() =>
            Covariance.LedoitWolfConstantCorrelation(new Panel(["A", "B"], [[0.01, 0.02], [0.01, 0.03], [0.01, 0.01]]))).Message);
    }
}
