using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// An operator-splitting (ADMM) solver for convex quadratic programs in the OSQP form (Stellato et al. 2020): one
/// Cholesky factorisation of P + σI + AᵀRA per step size ρ, over-relaxation, adaptive ρ, infeasibility certificates,
/// and a final active-set polish that solves the KKT system of the identified active constraints exactly, so
/// solutions are accurate to machine precision rather than to the ADMM tolerance.
/// </summary>
public sealed class AdmmQpSolver
{
    /// <summary>Absolute tolerance on the residuals.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-9;

    /// <summary>Relative tolerance on the residuals.</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    private const double Sigma = 1e-6;
    private const double Alpha = 1.6;

    /// <summary>Solves the program.</summary>
    /// <exception cref="QuantInputException">Invalid data, infeasible constraints, or an unbounded objective.</exception>
    public QpSolution Solve(QuadraticProgram qp)
    {
        qp.Validate();
        int n = qp.Variables, m = qp.A.RowCount;
        var (P, q, A, l, u) = (qp.P, qp.Q, qp.A, qp.Lower, qp.Upper);
        var isEquality = Enumerable.Range(0, m).Select(i => l[i] == u[i]).ToArray();
        var rhoBase = 0.1;
        Vector<double> Rho(double r) => Vector<double>.Build.Dense(m, i => isEquality[i] ? 1e3 * r : double.IsInfinity(l[i]) && double.IsInfinity(u[i]) ? 1e-6 : r);
        var rho = Rho(rhoBase);
        var factor = Factor(P, A, rho);

        var x = Vector<double>.Build.Dense(n);
        var z = Vector<double>.Build.Dense(m);
        var y = Vector<double>.Build.Dense(m);
        var iteration = 0;
        for (; iteration < MaxIterations; iteration++)
        {
            var rhs = Sigma * x - q + A.TransposeThisAndMultiply(rho.PointwiseMultiply(z) - y);
            var xt = factor.Solve(rhs);
            var zt = A * xt;
            var xNext = Alpha * xt + (1 - Alpha) * x;
            var zRelaxed = Alpha * zt + (1 - Alpha) * z;
            var zNext = Project(zRelaxed + y.PointwiseDivide(rho), l, u);
            var yNext = y + rho.PointwiseMultiply(zRelaxed - zNext);
            var deltaY = yNext - y;
            var deltaX = xNext - x;
            (x, z, y) = (xNext, zNext, yNext);

            if (iteration % 10 != 9) continue;
            var ax = A * x;
            var px = P * x;
            var aty = A.TransposeThisAndMultiply(y);
            var primal = (ax - z).InfinityNorm();
            var dual = (px + q + aty).InfinityNorm();
            var primalScale = Math.Max(ax.InfinityNorm(), z.InfinityNorm());
            var dualScale = Math.Max(Math.Max(px.InfinityNorm(), aty.InfinityNorm()), q.InfinityNorm());
            if (primal <= AbsoluteTolerance + RelativeTolerance * primalScale && dual <= AbsoluteTolerance + RelativeTolerance * dualScale) break;

            CheckInfeasible(A, l, u, deltaY);
            CheckUnbounded(P, q, A, l, u, deltaX);

            if (iteration % 50 == 49)
            {
                var ratio = Math.Sqrt(primal / Math.Max(primalScale, 1e-30) / Math.Max(dual / Math.Max(dualScale, 1e-30), 1e-30));
                var next = Math.Clamp(rhoBase * ratio, 1e-6, 1e6);
                if (next > 5 * rhoBase || next < rhoBase / 5)
                {
                    rhoBase = next;
                    rho = Rho(rhoBase);
                    factor = Factor(P, A, rho);
                }
            }
        }

        var (polishedX, polishedY) = Polish(qp, x, z, y);
        var admm = Evaluate(qp, x, y, iteration, false);
        if (polishedX is not null)
        {
            var polished = Evaluate(qp, polishedX, polishedY!, iteration, true);
            if (polished.PrimalResidual <= Math.Max(1e-9, admm.PrimalResidual) && polished.DualResidual <= Math.Max(1e-9, admm.DualResidual)) return polished;
        }
        if (iteration >= MaxIterations && (admm.PrimalResidual > 1e-6 || admm.DualResidual > 1e-6))
            throw new QuantInputException($"the solver did not converge in {MaxIterations} iterations (primal residual {admm.PrimalResidual:E2}, dual {admm.DualResidual:E2}); the problem may be ill-conditioned");
        return admm;
    }

    private static QpSolution Evaluate(QuadraticProgram qp, Vector<double> x, Vector<double> y, int iterations, bool polished)
    {
        var ax = qp.A * x;
        var primal = (ax - Project(ax, qp.Lower, qp.Upper)).InfinityNorm();
        var dual = (qp.P * x + qp.Q + qp.A.TransposeThisAndMultiply(y)).InfinityNorm();
        return new QpSolution(x, y, qp.Objective(x), iterations, polished, primal, dual);
    }

    /// <summary>Solves the KKT system of the constraints the ADMM iterate marks active.</summary>
    private static (Vector<double>? X, Vector<double>? Y) Polish(QuadraticProgram qp, Vector<double> x, Vector<double> z, Vector<double> y)
    {
        int n = qp.Variables, m = qp.A.RowCount;
        var active = new List<(int Row, double Bound)>();
        for (var i = 0; i < m; i++)
        {
            if (qp.Lower[i] == qp.Upper[i]) active.Add((i, qp.Lower[i]));
            else if (z[i] - qp.Lower[i] < -y[i]) active.Add((i, qp.Lower[i]));
            else if (qp.Upper[i] - z[i] < y[i]) active.Add((i, qp.Upper[i]));
        }
        var k = active.Count;
        var kkt = Matrix<double>.Build.Dense(n + k, n + k);
        kkt.SetSubMatrix(0, 0, qp.P + Matrix<double>.Build.DenseIdentity(n) * 1e-12);
        var rhs = Vector<double>.Build.Dense(n + k);
        rhs.SetSubVector(0, n, -qp.Q);
        for (var a = 0; a < k; a++)
        {
            var row = qp.A.Row(active[a].Row);
            kkt.SetRow(n + a, 0, n, row);
            kkt.SetColumn(n + a, 0, n, row);
            kkt[n + a, n + a] = -1e-12;
            rhs[n + a] = active[a].Bound;
        }
        Vector<double> solution;
        try
        {
            var lu = kkt.LU();
            solution = lu.Solve(rhs);
            for (var refine = 0; refine < 3; refine++) solution += lu.Solve(rhs - kkt * solution);
        }
        catch (Exception)
        {
            return (null, null);
        }
        if (solution.Any(v => !double.IsFinite(v))) return (null, null);
        var yPolished = Vector<double>.Build.Dense(m);
        for (var a = 0; a < k; a++) yPolished[active[a].Row] = solution[n + a];
        return (solution.SubVector(0, n), yPolished);
    }

    private static Cholesky<double> Factor(Matrix<double> p, Matrix<double> a, Vector<double> rho)
    {
        var k = p + Matrix<double>.Build.DenseIdentity(p.RowCount) * Sigma + a.TransposeThisAndMultiply(Matrix<double>.Build.DenseOfDiagonalVector(rho) * a);
        return ((k + k.Transpose()) / 2).Cholesky();
    }

    private static Vector<double> Project(Vector<double> v, Vector<double> l, Vector<double> u) =>
        Vector<double>.Build.Dense(v.Count, i => Math.Min(Math.Max(v[i], l[i]), u[i]));

    private static void CheckInfeasible(Matrix<double> a, Vector<double> l, Vector<double> u, Vector<double> deltaY)
    {
        var norm = deltaY.InfinityNorm();
        if (norm < 1e-12) return;
        var eps = 1e-7 * norm;
        if (a.TransposeThisAndMultiply(deltaY).InfinityNorm() > eps) return;
        double support = 0;
        for (var i = 0; i < deltaY.Count; i++)
        {
            var d = deltaY[i];
            if (d > 0) support += double.IsPositiveInfinity(u[i]) ? double.PositiveInfinity : u[i] * d;
            else if (d < 0) support += double.IsNegativeInfinity(l[i]) ? double.PositiveInfinity : l[i] * d;
        }
        if (support < -eps) throw new QuantInputException("the constraints are infeasible: no portfolio satisfies them all (certificate found by the solver)");
    }

    private static void CheckUnbounded(Matrix<double> p, Vector<double> q, Matrix<double> a, Vector<double> l, Vector<double> u, Vector<double> deltaX)
    {
        var norm = deltaX.InfinityNorm();
        if (norm < 1e-12) return;
        var eps = 1e-7 * norm;
        if ((p * deltaX).InfinityNorm() > eps || q * deltaX > -eps) return;
        var adx = a * deltaX;
        for (var i = 0; i < adx.Count; i++)
        {
            var ok = (double.IsPositiveInfinity(u[i]) || adx[i] <= eps) && (double.IsNegativeInfinity(l[i]) || adx[i] >= -eps);
            if (!ok) return;
        }
        throw new QuantInputException("the objective is unbounded under these constraints (add bounds or a budget constraint)");
    }
}
