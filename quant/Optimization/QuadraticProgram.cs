using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// minimize ½ xᵀPx + qᵀx + Σᵢ gᵢ(xᵢ) subject to l ≤ Ax ≤ u (rows with l = u are equalities; ±∞ bounds are allowed),
/// where the optional <see cref="Separable"/> terms gᵢ carry per-variable bounds and L1 penalties.
/// </summary>
/// <param name="P">Positive semidefinite n×n matrix.</param>
/// <param name="Q">Linear term, length n.</param>
/// <param name="A">m×n constraint matrix.</param>
/// <param name="Lower">Lower bounds, length m.</param>
/// <param name="Upper">Upper bounds, length m.</param>
public sealed record QuadraticProgram(Matrix<double> P, Vector<double> Q, Matrix<double> A, Vector<double> Lower, Vector<double> Upper)
{
    /// <summary>Per-variable bounds and L1 terms (null: none).</summary>
    public SeparableTerms? Separable { get; init; }

    /// <summary>Number of variables.</summary>
    public int Variables => Q.Count;

    /// <summary>Objective value at x, separable penalties included.</summary>
    public double Objective(Vector<double> x)
    {
        var value = 0.5 * (x * P * x) + Q * x;
        if (Separable is { } g) for (var i = 0; i < x.Count; i++) value += g.Penalty(i, x[i]);
        return value;
    }

    /// <summary>Checks shapes and values.</summary>
    /// <exception cref="QuantInputException">Inconsistent shapes, non-finite data, or a lower bound above its upper bound.</exception>
    public void Validate()
    {
        var n = Q.Count;
        if (P.RowCount != n || P.ColumnCount != n) throw new QuantInputException($"P is {P.RowCount}×{P.ColumnCount} for {n} variables");
        if (A.ColumnCount != n) throw new QuantInputException($"A has {A.ColumnCount} columns for {n} variables");
        if (Lower.Count != A.RowCount || Upper.Count != A.RowCount) throw new QuantInputException($"bounds have {Lower.Count}/{Upper.Count} entries for {A.RowCount} constraints");
        if (P.Enumerate().Any(v => !double.IsFinite(v)) || Q.Any(v => !double.IsFinite(v)) || A.Enumerate().Any(v => !double.IsFinite(v)))
            throw new QuantInputException("the problem holds a non-finite coefficient");
        for (var i = 0; i < Lower.Count; i++)
        {
            if (double.IsNaN(Lower[i]) || double.IsNaN(Upper[i]) || Lower[i] > Upper[i])
                throw new QuantInputException($"constraint {i} has lower bound {Lower[i]} above upper bound {Upper[i]}");
        }
        Separable?.Validate(n);
    }
}

/// <summary>A solved quadratic program.</summary>
/// <param name="X">The solution.</param>
/// <param name="Y">Constraint multipliers (negative: lower bound active, positive: upper bound active).</param>
/// <param name="Objective">Objective value (separable penalties included).</param>
/// <param name="Iterations">ADMM iterations used.</param>
/// <param name="Polished">Whether the active-set polish step produced the returned solution.</param>
/// <param name="PrimalResidual">Largest constraint violation, separable bounds included.</param>
/// <param name="DualResidual">max |Px + q + Aᵀy + s|: stationarity error, s being <see cref="SeparableMultipliers"/>.</param>
public sealed record QpSolution(Vector<double> X, Vector<double> Y, double Objective, int Iterations, bool Polished, double PrimalResidual, double DualResidual)
{
    /// <summary>s ∈ ∂g(x): the subgradient of the separable terms that certifies optimality (zeros without separable terms).</summary>
    public Vector<double>? SeparableMultipliers { get; init; }
}
