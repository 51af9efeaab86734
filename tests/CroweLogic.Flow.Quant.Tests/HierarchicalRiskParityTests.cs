using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using static CroweLogic.Flow.Quant.Tests.PyPortfolioOptReference;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>HRP against PyPortfolioOpt's test_hrp.py (its own tolerance rtol 1e-2; the oracle matched to 3e-16, we hold 1e-12).</summary>
public class HierarchicalRiskParityTests
{
    // Daily pairwise covariance and correlation, as HRPOpt(returns) computes them.
    private static readonly Matrix<double> DailyCov = Covariance.Sample(StockReturns, frequency: 1);
    private static readonly Matrix<double> DailyCorr = Covariance.SampleCorrelation(StockReturns);

    [Fact]
    public void Weights_match_weights_hrp_csv()
    {
        var result = HierarchicalRiskParity.Allocate(DailyCov, DailyCorr);
        var expected = HrpWeights();
        for (var i = 0; i < StockReturns.ColumnCount; i++)
            Assert.Equal(expected[StockReturns.Columns[i]], result.Weights[i], 1e-12);
        Assert.Equal(1, result.Weights.Sum(), 1e-14);
    }

    [Fact]
    public void Quasi_diagonal_order_matches_scipy_pre_order()
    {
        // test_quasi_dag: to_tree(linkage(…, "single")).pre_order()[:5] == [12, 6, 15, 14, 2].
        var order = HierarchicalRiskParity.Allocate(DailyCov, DailyCorr).Order;
        Assert.Equal([12, 6, 15, 14, 2], order[..5]);
        Assert.Equal(Enumerable.Range(0, 20), order.Order());
    }

    [Fact]
    public void Cluster_variance_matches_pypfopt()
    {
        // test_cluster_var, almost(7).
        string[] tickers = ["SHLD", "AMD", "BBY", "RRC", "FB", "WMT", "T", "BABA", "PFE", "UAA"];
        var items = tickers.Select(StockReturns.IndexOf).ToArray();
        Assert.Equal(0.00012842967106653283, HierarchicalRiskParity.ClusterVariance(DailyCov, items), 1e-12);
    }

    [Fact]
    public void Portfolio_performance_matches_pypfopt()
    {
        // test_portfolio_performance: mu = mean daily return × 252, cov × 252, rf 0.02 (allclose, rtol 1e-7).
        var w = Vector<double>.Build.DenseOfArray(HierarchicalRiskParity.Allocate(DailyCov, DailyCorr).Weights);
        var mu = Vector<double>.Build.DenseOfArray(Data.Returns.MeanHistorical(StockReturns, compounding: false));
        var ret = w * mu;
        var vol = Math.Sqrt(w * (DailyCov * 252) * w);
        Assert.Equal(0.21353402380950973, ret, 0.21353402380950973 * 1e-7);
        Assert.Equal(0.17844159743748936, vol, 0.17844159743748936 * 1e-7);
        Assert.Equal(1.084579081272277, (ret - 0.02) / vol, 1.084579081272277 * 1e-7);
    }

    [Fact]
    public void A_ledoit_wolf_covariance_with_rounded_correlation_matches_pypfopt()
    {
        // test_pass_cov_matrix: HRPOpt(cov_matrix=LW) clusters on cov_to_corr(S).round(6); vol almost(7).
        var s = Covariance.LedoitWolf(StockReturns).Matrix;
        var corr = HierarchicalRiskParity.ToCorrelation(s).Map(v => Math.Round(v, 6, MidpointRounding.ToEven));
        var w = Vector<double>.Build.DenseOfArray(HierarchicalRiskParity.Allocate(s, corr).Weights);
        Assert.Equal(0.10002783894982334, Math.Sqrt(w * s * w), 1.5e-7);
    }

    [Fact]
    public void Weights_are_positive_and_sum_to_one_for_any_valid_covariance() =>
        Prop.ForAll(Arb.From(Gen.Choose(2, 12)), n =>
        {
            var rnd = new Random(n * 7919);
            var a = Matrix<double>.Build.Dense(n + 5, n, (_, _) => rnd.NextDouble() - 0.5);
            var cov = a.TransposeThisAndMultiply(a) + Matrix<double>.Build.DenseIdentity(n) * 1e-3;
            cov = (cov + cov.Transpose()) / 2;
            var w = HierarchicalRiskParity.Allocate(cov, HierarchicalRiskParity.ToCorrelation(cov)).Weights;
            return w.All(x => x > 0) && Math.Abs(w.Sum() - 1) < 1e-12;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Single_linkage_merges_at_minimum_spanning_tree_distances()
    {
        // Points on a line at 0, 1, 3, 7: single linkage merges at 1, 2, 4 — the MST edge lengths.
        double[] x = [0, 1, 3, 7];
        var d = new double[4, 4];
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) d[i, j] = Math.Abs(x[i] - x[j]);
        var merges = SingleLinkage.Cluster(d);
        Assert.Equal([1.0, 2.0, 4.0], merges.Select(m => m.Distance));
        Assert.Equal(new SingleLinkage.Merge(0, 1, 1, 2), merges[0]);
        Assert.Equal(new SingleLinkage.Merge(2, 4, 2, 3), merges[1]);
        Assert.Equal(new SingleLinkage.Merge(3, 5, 4, 4), merges[2]);
        Assert.Equal([3, 2, 0, 1], SingleLinkage.LeafOrder(merges));
    }

    [Fact]
    public void A_zero_variance_asset_is_refused()
    {
        var cov = Matrix<double>.Build.DenseOfArray(new[,] { { 0.04, 0 }, { 0, 0 } });
        var error = Assert.Throws<QuantInputException>(() => HierarchicalRiskParity.Allocate(cov, Matrix<double>.Build.DenseIdentity(2)));
        Assert.Equal("asset 1 has variance 0; HRP needs positive variances", error.Message);
    }
}
