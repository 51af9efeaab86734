using CroweLogic.Flow.Quant.Optimization;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Robust mean–variance portfolio construction (blueprint §16.3/§17.1): minimum volatility, maximum quadratic utility,
/// efficient return and risk targets, and maximum Sharpe, under box, budget and linear inequality constraints, with L2,
/// L1-weight and L1-turnover penalties. Every problem is an exact convex QP (L1 terms lifted with auxiliary variables)
/// solved by <see cref="AdmmQpSolver"/> with active-set polishing.
/// </summary>
public sealed class MeanVarianceOptimizer
{
    private readonly Vector<double>? _mu;
    private readonly Matrix<double> _sigma;
    private readonly PortfolioConstraints _constraints;
    private readonly PortfolioPenalties _penalties;
    private readonly AdmmQpSolver _solver = new();

    /// <summary>Creates an optimiser.</summary>
    /// <param name="expectedReturns">μ (annualised), or null for risk-only objectives.</param>
    /// <param name="covariance">Σ (annualised), symmetric PSD.</param>
    /// <param name="constraints">Weight constraints (default long-only, fully invested).</param>
    /// <param name="penalties">Objective penalties (default none).</param>
    /// <exception cref="QuantInputException">Shapes disagree, values are non-finite, Σ is not PSD, or the bounds cannot meet the budget.</exception>
    public MeanVarianceOptimizer(double[]? expectedReturns, Matrix<double> covariance, PortfolioConstraints? constraints = null, PortfolioPenalties? penalties = null)
    {
        Risk.Covariance.Validate(covariance, "covariance");
        var n = covariance.RowCount;
        if (covariance.Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum() < -1e-10 * Math.Max(1, covariance.Diagonal().AbsoluteMaximum()))
            throw new QuantInputException("the covariance matrix is not positive semidefinite; repair it (Covariance.NearestPsd) or use a shrinkage estimator");
        if (expectedReturns is not null)
        {
            if (expectedReturns.Length != n) throw new QuantInputException($"{expectedReturns.Length} expected returns for a {n}×{n} covariance");
            if (expectedReturns.Any(v => !double.IsFinite(v))) throw new QuantInputException("expected returns hold a non-finite value");
            _mu = Vector<double>.Build.DenseOfArray(expectedReturns);
        }
        _sigma = covariance;
        _constraints = constraints ?? PortfolioConstraints.LongOnly;
        _constraints.Validate(n);
        _penalties = penalties ?? PortfolioPenalties.None;
        if (_penalties.L2 < 0 || _penalties.WeightL1 < 0 || _penalties.TurnoverL1 < 0) throw new QuantInputException("penalties must be non-negative");
        if (_penalties.PreviousWeights is { } prev && prev.Length != n) throw new QuantInputException($"{prev.Length} previous weights for {n} assets");
    }

    private int N => _sigma.RowCount;

    /// <summary>Minimises wᵀΣw (+ penalties).</summary>
    public PortfolioResult MinVolatility() => Solve(riskWeight: 2, returnWeight: 0, minimumReturn: null);

    /// <summary>Maximises μᵀw − ½δ·wᵀΣw (− penalties).</summary>
    public PortfolioResult MaxQuadraticUtility(double riskAversion)
    {
        if (!(riskAversion > 0)) throw new QuantInputException($"risk aversion must be positive, got {riskAversion}");
        return Solve(riskWeight: riskAversion, returnWeight: 1, minimumReturn: null);
    }

    /// <summary>Minimises wᵀΣw (+ penalties) subject to μᵀw ≥ target.</summary>
    public PortfolioResult EfficientReturn(double targetReturn)
    {
        RequireMu();
        if (!double.IsFinite(targetReturn)) throw new QuantInputException("the target return must be finite");
        try
        {
            return Solve(riskWeight: 2, returnWeight: 0, minimumReturn: targetReturn);
        }
        catch (QuantInputException e) when (e.Message.Contains("infeasible", StringComparison.Ordinal))
        {
            throw new QuantInputException($"target return {targetReturn} is not attainable under these constraints ({e.Message})");
        }
    }

    /// <summary>Maximises μᵀw (− penalties) subject to √(wᵀΣw) ≤ target, by bisection on the risk aversion of the utility problem.</summary>
    public PortfolioResult EfficientRisk(double targetVolatility)
    {
        RequireMu();
        var minVol = MinVolatility();
        if (targetVolatility < minVol.Volatility - 1e-12)
            throw new QuantInputException($"target volatility {targetVolatility} is below the minimum attainable {minVol.Volatility:G6}");
        double lo = Math.Log(1e-8), hi = Math.Log(1e8);
        var loose = MaxQuadraticUtility(Math.Exp(lo));
        if (loose.Volatility <= targetVolatility) return loose;
        PortfolioResult result = minVol;
        for (var i = 0; i < 200 && hi - lo > 1e-14; i++)
        {
            var mid = (lo + hi) / 2;
            result = MaxQuadraticUtility(Math.Exp(mid));
            if (Math.Abs(result.Volatility - targetVolatility) < 1e-13) break;
            if (result.Volatility > targetVolatility) lo = mid; else hi = mid;
        }
        return result;
    }

    /// <summary>
    /// Maximises (μᵀw − r_f)/√(wᵀΣw) through the homogenised QP min yᵀΣy s.t. (μ − r_f)ᵀy = 1, y = κw (Cornuéjols–Tütüncü).
    /// </summary>
    public PortfolioResult MaxSharpe(double riskFreeRate)
    {
        var mu = RequireMu();
        if (_constraints.MarketNeutral) throw new QuantInputException("max Sharpe is not defined for a market-neutral (zero-sum) portfolio; use MaxQuadraticUtility or EfficientRisk");
        if (_penalties.HasL1 || _penalties.L2 > 0) throw new QuantInputException("max Sharpe takes no penalties (the problem is homogenised); use MaxQuadraticUtility with penalties instead");
        if (mu.Max() <= riskFreeRate) throw new QuantInputException($"no asset's expected return exceeds the risk-free rate {riskFreeRate}; the maximum Sharpe portfolio does not exist");
        var n = N;
        var gRows = _constraints.InequalityMatrix?.GetLength(0) ?? 0;
        var rows = new List<(double[] Row, double Lo, double Hi)>();
        rows.Add(([.. Enumerable.Range(0, n).Select(i => mu[i] - riskFreeRate), 0], 1, 1));
        rows.Add(([.. Enumerable.Repeat(1.0, n), -1], 0, 0));
        for (var i = 0; i < n; i++)
        {
            double lo = _constraints.LowerOf(i), up = _constraints.UpperOf(i);
            var unit = new double[n + 1];
            unit[i] = 1;
            if (double.IsFinite(lo)) rows.Add((With(unit, n, -lo), 0, double.PositiveInfinity));
            if (double.IsFinite(up)) rows.Add((With(unit, n, -up), double.NegativeInfinity, 0));
        }
        for (var g = 0; g < gRows; g++)
            rows.Add(([.. Enumerable.Range(0, n).Select(j => _constraints.InequalityMatrix![g, j]), -_constraints.InequalityBound![g]], double.NegativeInfinity, 0));
        var kappa = new double[n + 1];
        kappa[n] = 1;
        rows.Add((kappa, 0, double.PositiveInfinity));

        var p = Matrix<double>.Build.Dense(n + 1, n + 1);
        p.SetSubMatrix(0, 0, 2 * _sigma);
        var solution = _solver.Solve(Build(p, Vector<double>.Build.Dense(n + 1), rows));
        var k = solution.X[n];
        if (!(k > 1e-12)) throw new QuantInputException("the maximum Sharpe problem has no solution with a positive budget under these constraints");
        return Result(solution.X.SubVector(0, n) / k);
    }

    private PortfolioResult Solve(double riskWeight, double returnWeight, double? minimumReturn)
    {
        var n = N;
        var useTurnover = _penalties.TurnoverL1 > 0;
        var useWeightL1 = _penalties.WeightL1 > 0;
        var size = n * (1 + (useTurnover ? 1 : 0) + (useWeightL1 ? 1 : 0));
        var t0 = n;
        var s0 = n + (useTurnover ? n : 0);

        var p = Matrix<double>.Build.Dense(size, size);
        p.SetSubMatrix(0, 0, riskWeight * _sigma + 2 * _penalties.L2 * Matrix<double>.Build.DenseIdentity(n));
        var q = Vector<double>.Build.Dense(size);
        if (returnWeight != 0) q.SetSubVector(0, n, -returnWeight * RequireMu());
        if (useTurnover) for (var i = 0; i < n; i++) q[t0 + i] = _penalties.TurnoverL1;
        if (useWeightL1) for (var i = 0; i < n; i++) q[s0 + i] = _penalties.WeightL1;

        var rows = new List<(double[] Row, double Lo, double Hi)>();
        var budget = new double[size];
        for (var i = 0; i < n; i++) budget[i] = 1;
        var target = _constraints.MarketNeutral ? 0.0 : 1.0;
        rows.Add((budget, target, target));
        for (var i = 0; i < n; i++)
        {
            var unit = new double[size];
            unit[i] = 1;
            rows.Add((unit, _constraints.LowerOf(i), _constraints.UpperOf(i)));
        }
        if (_constraints.InequalityMatrix is { } g)
            for (var r = 0; r < g.GetLength(0); r++)
            {
                var row = new double[size];
                for (var j = 0; j < n; j++) row[j] = g[r, j];
                rows.Add((row, double.NegativeInfinity, _constraints.InequalityBound![r]));
            }
        if (minimumReturn is { } floor)
        {
            var row = new double[size];
            var mu = RequireMu();
            for (var j = 0; j < n; j++) row[j] = mu[j];
            rows.Add((row, floor, double.PositiveInfinity));
        }
        var prev = _penalties.PreviousWeights ?? new double[n];
        for (var i = 0; i < n; i++)
        {
            if (useTurnover)
            {
                // t_i ≥ |w_i − prev_i|
                var a = new double[size];
                a[t0 + i] = 1;
                a[i] = -1;
                rows.Add((a, -prev[i], double.PositiveInfinity));
                var b = new double[size];
                b[t0 + i] = 1;
                b[i] = 1;
                rows.Add((b, prev[i], double.PositiveInfinity));
            }
            if (useWeightL1)
            {
                var a = new double[size];
                a[s0 + i] = 1;
                a[i] = -1;
                rows.Add((a, 0, double.PositiveInfinity));
                var b = new double[size];
                b[s0 + i] = 1;
                b[i] = 1;
                rows.Add((b, 0, double.PositiveInfinity));
            }
        }
        var solution = _solver.Solve(Build(p, q, rows));
        return Result(solution.X.SubVector(0, n));
    }

    private static QuadraticProgram Build(Matrix<double> p, Vector<double> q, List<(double[] Row, double Lo, double Hi)> rows) =>
        new(p, q, Matrix<double>.Build.DenseOfRowArrays(rows.Select(r => r.Row)),
            Vector<double>.Build.DenseOfEnumerable(rows.Select(r => r.Lo)), Vector<double>.Build.DenseOfEnumerable(rows.Select(r => r.Hi)));

    private PortfolioResult Result(Vector<double> w) =>
        new([.. w], _mu is null ? double.NaN : _mu * w, Math.Sqrt(Math.Max(0, w * _sigma * w)));

    private Vector<double> RequireMu() => _mu ?? throw new QuantInputException("this objective needs expected returns; construct the optimiser with them");

    private static double[] With(double[] unit, int index, double value)
    {
        var copy = (double[])unit.Clone();
        copy[index] = value;
        return copy;
    }
}
