using CroweLogic.Flow.Quant.Data;
using Google.OrTools.LinearSolver;

namespace CroweLogic.Flow.Quant.Portfolio;

/// <summary>
/// Mean–CVaR portfolio construction as a linear program (Rockafellar &amp; Uryasev 2000) solved by OR-Tools GLOP:
/// CVaR_β(w) = min_α α + 1/((1−β)T) Σ_t max(0, −r_tᵀw − α) over historical scenarios r_t.
/// </summary>
public sealed class MeanCvarOptimizer
{
    private readonly double[] _mu;
    private readonly double[][] _scenarios;
    private readonly double _beta;
    private readonly PortfolioConstraints _constraints;

    /// <summary>Creates an optimiser over historical return scenarios (rows; no missing values).</summary>
    /// <param name="expectedReturns">μ per asset.</param>
    /// <param name="scenarios">T×N scenario returns.</param>
    /// <param name="beta">CVaR confidence, e.g. 0.95.</param>
    /// <param name="constraints">Weight constraints (default long-only, fully invested).</param>
    public MeanCvarOptimizer(double[] expectedReturns, Panel scenarios, double beta = 0.95, PortfolioConstraints? constraints = null)
    {
        if (!(beta > 0 && beta < 1)) throw new QuantInputException($"β must lie in (0, 1), got {beta}");
        if (expectedReturns.Length != scenarios.ColumnCount) throw new QuantInputException($"{expectedReturns.Length} expected returns for {scenarios.ColumnCount} assets");
        if (expectedReturns.Any(v => !double.IsFinite(v))) throw new QuantInputException("expected returns hold a non-finite value");
        if (scenarios.RowCount == 0) throw new QuantInputException("no return scenarios");
        _scenarios = new double[scenarios.RowCount][];
        for (var t = 0; t < scenarios.RowCount; t++)
        {
            _scenarios[t] = new double[scenarios.ColumnCount];
            for (var i = 0; i < scenarios.ColumnCount; i++)
            {
                var r = scenarios[t, i];
                if (!double.IsFinite(r)) throw new QuantInputException($"scenario {t} of '{scenarios.Columns[i]}' is {r}; CVaR scenarios need complete rows (use Panel.CompleteRows)");
                _scenarios[t][i] = r;
            }
        }
        _mu = expectedReturns;
        _beta = beta;
        _constraints = constraints ?? PortfolioConstraints.LongOnly;
        _constraints.Validate(expectedReturns.Length);
    }

    /// <summary>The minimum-CVaR portfolio.</summary>
    public CvarResult MinCvar() => Solve(minimiseCvar: true, returnFloor: null, cvarCap: null);

    /// <summary>Minimum CVaR subject to μᵀw ≥ target.</summary>
    public CvarResult EfficientReturn(double targetReturn) => Solve(minimiseCvar: true, returnFloor: targetReturn, cvarCap: null);

    /// <summary>Maximum μᵀw subject to CVaR ≤ limit.</summary>
    public CvarResult EfficientRisk(double cvarLimit) => Solve(minimiseCvar: false, returnFloor: null, cvarCap: cvarLimit);

    /// <summary>Historical CVaR of given weights (the LP's objective evaluated directly).</summary>
    public double Cvar(IReadOnlyList<double> weights)
    {
        var losses = _scenarios.Select(r => -r.Zip(weights, (a, b) => a * b).Sum()).OrderByDescending(l => l).ToArray();
        // The R–U objective at its optimal α (the β-quantile of losses) equals this tail average with a fractional atom.
        var tail = (1 - _beta) * losses.Length;
        double sum = 0, taken = 0;
        foreach (var loss in losses)
        {
            var take = Math.Min(1, tail - taken);
            if (take <= 0) break;
            sum += take * loss;
            taken += take;
        }
        return sum / tail;
    }

    private CvarResult Solve(bool minimiseCvar, double? returnFloor, double? cvarCap)
    {
        int n = _mu.Length, t = _scenarios.Length;
        using var solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("OR-Tools GLOP is not available");
        var w = new Variable[n];
        for (var i = 0; i < n; i++)
            w[i] = solver.MakeNumVar(_constraints.LowerOf(i), _constraints.UpperOf(i), $"w{i}");
        var alpha = solver.MakeNumVar(double.NegativeInfinity, double.PositiveInfinity, "alpha");
        var u = new Variable[t];
        var scale = 1 / ((1 - _beta) * t);
        for (var s = 0; s < t; s++)
        {
            u[s] = solver.MakeNumVar(0, double.PositiveInfinity, $"u{s}");
            // u_s ≥ −r_sᵀw − α  ⇔  u_s + r_sᵀw + α ≥ 0
            var c = solver.MakeConstraint(0, double.PositiveInfinity);
            c.SetCoefficient(u[s], 1);
            c.SetCoefficient(alpha, 1);
            for (var i = 0; i < n; i++) c.SetCoefficient(w[i], _scenarios[s][i]);
        }
        var budget = _constraints.MarketNeutral ? 0.0 : 1.0;
        var sum = solver.MakeConstraint(budget, budget);
        foreach (var v in w) sum.SetCoefficient(v, 1);
        if (_constraints.InequalityMatrix is { } g)
            for (var r = 0; r < g.GetLength(0); r++)
            {
                var c = solver.MakeConstraint(double.NegativeInfinity, _constraints.InequalityBound![r]);
                for (var i = 0; i < n; i++) c.SetCoefficient(w[i], g[r, i]);
            }
        if (returnFloor is { } floor)
        {
            var c = solver.MakeConstraint(floor, double.PositiveInfinity);
            for (var i = 0; i < n; i++) c.SetCoefficient(w[i], _mu[i]);
        }
        if (cvarCap is { } cap)
        {
            var c = solver.MakeConstraint(double.NegativeInfinity, cap);
            c.SetCoefficient(alpha, 1);
            foreach (var v in u) c.SetCoefficient(v, scale);
        }

        var objective = solver.Objective();
        if (minimiseCvar)
        {
            objective.SetCoefficient(alpha, 1);
            foreach (var v in u) objective.SetCoefficient(v, scale);
            objective.SetMinimization();
        }
        else
        {
            for (var i = 0; i < n; i++) objective.SetCoefficient(w[i], _mu[i]);
            objective.SetMaximization();
        }

        var status = solver.Solve();
        if (status == Solver.ResultStatus.INFEASIBLE) throw new QuantInputException("the CVaR problem is infeasible: no portfolio meets the return floor, CVaR cap and constraints together");
        if (status == Solver.ResultStatus.UNBOUNDED) throw new QuantInputException("the CVaR problem is unbounded: bound the weights");
        if (status != Solver.ResultStatus.OPTIMAL) throw new QuantInputException($"GLOP stopped with status {status}");

        var weights = w.Select(v => v.SolutionValue()).ToArray();
        var cvar = alpha.SolutionValue() + scale * u.Sum(v => v.SolutionValue());
        return new CvarResult(weights, weights.Zip(_mu, (a, b) => a * b).Sum(), cvar);
    }
}

/// <summary>A mean–CVaR portfolio.</summary>
/// <param name="Weights">Weights per asset.</param>
/// <param name="ExpectedReturn">μᵀw.</param>
/// <param name="Cvar">CVaR_β of the portfolio's scenario returns (a positive loss).</param>
public sealed record CvarResult(double[] Weights, double ExpectedReturn, double Cvar);
