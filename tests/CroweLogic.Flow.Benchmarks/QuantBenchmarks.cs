using BenchmarkDotNet.Attributes;
using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Regime;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// Robust mean–variance with box bounds, an L1 turnover penalty and 20 linear constraints (issue 3's benchmark).
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- --filter '*MeanVariance*'
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MeanVarianceBenchmarks
{
    private MeanVarianceOptimizer _optimizer = null!;

    [Params(100, 500, 2000)]
    public int Assets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(42);
        var n = Assets;
        // A factor-model covariance (5 factors + idiosyncratic), like an equity risk model.
        var loadings = Matrix<double>.Build.Dense(n, 5, (_, _) => Normal.Sample(rnd, 0, 0.15));
        var cov = loadings * loadings.Transpose() + Matrix<double>.Build.DenseOfDiagonalVector(Vector<double>.Build.Dense(n, _ => 0.02 + 0.04 * rnd.NextDouble()));
        cov = (cov + cov.Transpose()) / 2;
        var mu = Enumerable.Range(0, n).Select(_ => Normal.Sample(rnd, 0.06, 0.04)).ToArray();
        var g = new double[20, n];
        for (var r = 0; r < 20; r++) for (var i = 0; i < n; i++) g[r, i] = i % 20 == r ? 1 : 0; // 20 sector caps
        var constraints = new PortfolioConstraints(Enumerable.Repeat(0.0, n).ToArray(), Enumerable.Repeat(5.0 / n, n).ToArray(), g, Enumerable.Repeat(0.08, 20).ToArray());
        var previous = Enumerable.Repeat(1.0 / n, n).ToArray();
        _optimizer = new MeanVarianceOptimizer(mu, cov, constraints, new PortfolioPenalties(TurnoverL1: 0.002, PreviousWeights: previous));
    }

    [Benchmark]
    public PortfolioResult MaxQuadraticUtility() => _optimizer.MaxQuadraticUtility(4);
}

/// <summary>HRP on 500 assets, HMM fit on 10 000 observations, BOCPD over 100 000 observations.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class RegimeAndAllocationBenchmarks
{
    private Matrix<double> _cov = null!;
    private Matrix<double> _corr = null!;
    private double[] _hmmSeries = null!;
    private double[] _bocpdSeries = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(7);
        var loadings = Matrix<double>.Build.Dense(500, 8, (_, _) => Normal.Sample(rnd, 0, 0.2));
        _cov = loadings * loadings.Transpose() + Matrix<double>.Build.DenseOfDiagonalVector(Vector<double>.Build.Dense(500, _ => 0.01 + 0.05 * rnd.NextDouble()));
        _cov = (_cov + _cov.Transpose()) / 2;
        _corr = HierarchicalRiskParity.ToCorrelation(_cov);
        var state = 0;
        _hmmSeries = [.. Enumerable.Range(0, 10_000).Select(_ =>
        {
            if (rnd.NextDouble() < 0.02) state = 1 - state;
            return Normal.Sample(rnd, state == 0 ? 0.0005 : -0.001, state == 0 ? 0.01 : 0.03);
        })];
        _bocpdSeries = [.. Enumerable.Range(0, 100_000).Select(t => Normal.Sample(rnd, (t / 5_000) % 2 == 0 ? 0 : 1, 1))];
    }

    [Benchmark]
    public double[] Hrp500() => HierarchicalRiskParity.Allocate(_cov, _corr).Weights;

    [Benchmark]
    public GaussianHmm HmmFit10k() => new GaussianHmm([0.5, 0.5], [[0.9, 0.1], [0.1, 0.9]], [0.0, 0.0], [0.005, 0.05]).Fit(_hmmSeries, maxIterations: 200, tolerance: 1e-6).Model;

    [Benchmark]
    public int Bocpd100k()
    {
        var detector = new BayesianOnlineChangePoint(1_000, 0, 0.1, 1, 1) { PruneBelow = 1e-8 };
        var last = 0;
        foreach (var x in _bocpdSeries) last = detector.Update(x);
        return last;
    }
}
