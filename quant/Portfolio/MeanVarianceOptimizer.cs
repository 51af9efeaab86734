using CroweLogic.Flow.Quant.Numerics;
using CroweLogic.Flow.Quant.Optimization;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Robust mean–variance portfolio construction (blueprint §16.3/§17.1): minimum volatility, maximum quadratic utility,
/// efficient return and risk targets, and maximum Sharpe, under box, budget and linear inequality constraints, with L2,
/// L1-weight and L1-turnover penalties. Every problem is an exact convex QP (bounds and L1 terms as separable proximal terms)
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
        // Σ + δI has a Cholesky factor exactly when λmin(Σ) > −δ: the PSD test at a sixth of an eigendecomposition's cost.
        var shifted = covariance.ToRowMajorArray();
        var delta = 1e-10 * Math.Max(1, covariance.Diagonal().AbsoluteMaximum());
        for (var i = 0; i < n; i++) shifted[i * n + i] += delta;
        if (DenseCholesky.TryFactor(shifted, n) is null)
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
        // Attainable means some feasible portfolio is that quiet: the minimum of wᵀΣw alone. The penalised minimum
        // (wᵀΣw + γ‖w‖² …) sits higher, and refused targets the penalised problem can meet (PyPortfolioOpt's
        // test_efficient_risk_L2_reg: 0.19 with γ = 5, where the penalised minimum is 0.208 and the true one 0.159).
        var minVol = Solve(riskWeight: 2, returnWeight: 0, minimumReturn: null, PortfolioPenalties.None);
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

    private PortfolioResult Solve(double riskWeight, double returnWeight, double? minimumReturn) => Solve(riskWeight, returnWeight, minimumReturn, _penalties);

    private PortfolioResult Solve(double riskWeight, double returnWeight, double? minimumReturn, PortfolioPenalties penalties)
    {
        // Bounds and both L1 penalties are separable terms of the solver (exact proximal steps), so the program keeps
        // n variables and only the budget, the caller's inequalities and a return floor as rows.
        var n = N;
        var p = riskWeight * _sigma + 2 * penalties.L2 * Matrix<double>.Build.DenseIdentity(n);
        var q = returnWeight != 0 ? -returnWeight * RequireMu() : Vector<double>.Build.Dense(n);
        var rows = new List<(double[] Row, double Lo, double Hi)>();
        var target = _constraints.MarketNeutral ? 0.0 : 1.0;
        rows.Add(([.. Enumerable.Repeat(1.0, n)], target, target));
        if (_constraints.InequalityMatrix is { } g)
            for (var r = 0; r < g.GetLength(0); r++)
                rows.Add(([.. Enumerable.Range(0, n).Select(j => g[r, j])], double.NegativeInfinity, _constraints.InequalityBound![r]));
        if (minimumReturn is { } floor) rows.Add((RequireMu().ToArray(), floor, double.PositiveInfinity));
        var separable = new SeparableTerms(
            [.. Enumerable.Range(0, n).Select(_constraints.LowerOf)],
            [.. Enumerable.Range(0, n).Select(_constraints.UpperOf)],
            [.. Enumerable.Repeat(penalties.WeightL1, n)],
            [.. Enumerable.Repeat(penalties.TurnoverL1, n)],
            penalties.PreviousWeights ?? new double[n]);
        var solution = _solver.Solve(Build(p, q, rows) with { Separable = separable });
        return Result(solution.X);
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
