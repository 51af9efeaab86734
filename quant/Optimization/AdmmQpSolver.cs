using CroweLogic.Flow.Quant.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// An operator-splitting (ADMM) solver for convex quadratic programs in the OSQP form (Stellato et al. 2020), extended
/// with separable terms handled through their proximal operator: one Cholesky factorisation of P + σI + ρₓI + AᵀRA per
/// step size, over-relaxation, adaptive ρ, infeasibility certificates, and an active-set polish that solves the KKT
/// system of the identified active set exactly, so solutions are accurate to near machine precision rather than to
/// the ADMM tolerance.
/// </summary>
public sealed class AdmmQpSolver
{
    /// <summary>Absolute tolerance on the residuals of an unpolished solution.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-9;

    /// <summary>Relative tolerance on the residuals of an unpolished solution.</summary>
    public double RelativeTolerance { get; init; } = 1e-9;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    private const double Sigma = 1e-6;
    private const double Alpha = 1.6;

    /// <summary>Solves the program.</summary>
    /// <exception cref="QuantInputException">Invalid data, a non-convex objective, infeasible constraints, or an unbounded objective.</exception>
    public QpSolution Solve(QuadraticProgram qp)
    {
        qp.Validate();
        int n = qp.Variables, m = qp.A.RowCount;
        var p = SymmetricRowMajor(qp.P);
        var pMax = p.Max(Math.Abs);
        var q = qp.Q.ToArray();
        var rows = SparseRows.Of(qp.A);
        var (l, u) = (qp.Lower.ToArray(), qp.Upper.ToArray());
        var g = qp.Separable;
        var nx = g is null ? 0 : n;

        var rhoBase = 0.1;
        var rhoA = new double[m];
        var rhoX = new double[nx];
        void SetRho(double r)
        {
            for (var i = 0; i < m; i++) rhoA[i] = l[i] == u[i] ? 1e3 * r : double.IsInfinity(l[i]) && double.IsInfinity(u[i]) ? 1e-6 : r;
            for (var j = 0; j < nx; j++) rhoX[j] = g!.Lower[j] == g.Upper[j] ? 1e3 * r : g.IsFree(j) ? 1e-6 : r;
        }
        SetRho(rhoBase);
        var factor = Factor(p, n, rows, rhoA, rhoX);

        var x = new double[n];
        var zA = new double[m];
        var yA = new double[m];
        var zX = new double[nx];
        var yX = new double[nx];
        // Work arrays reused every iteration: the loop allocates nothing.
        var xt = new double[n];
        var yAPrevious = new double[m];
        var yXPrevious = new double[nx];
        var xPrevious = new double[n];
        var ax = new double[m];
        var px = new double[n];
        var aty = new double[n];

        // A loose ADMM tolerance first: the polish makes an approximately right active set exact, and tightens only when
        // the polished point fails the strict check.
        var tolerance = 1e-5;
        long previousSignature = 0, polishedSignature = 0;
        var nextPolish = 50;
        var iteration = 0;
        for (; iteration < MaxIterations; iteration++)
        {
            var check = iteration % 10 == 9;
            if (check)
            {
                x.CopyTo(xPrevious, 0);
                yA.CopyTo(yAPrevious, 0);
                yX.CopyTo(yXPrevious, 0);
            }

            // x̃ = K⁻¹(σx − q + Aᵀ(ρ∘z − y) + (ρₓ∘zₓ − yₓ))
            for (var j = 0; j < n; j++) xt[j] = Sigma * x[j] - q[j];
            for (var j = 0; j < nx; j++) xt[j] += rhoX[j] * zX[j] - yX[j];
            for (var i = 0; i < m; i++)
            {
                var w = rhoA[i] * zA[i] - yA[i];
                var (columns, values) = (rows.Columns[i], rows.Values[i]);
                for (var k = 0; k < columns.Length; k++) xt[columns[k]] += values[k] * w;
            }
            factor.SolveInPlace(xt);

            for (var i = 0; i < m; i++)
            {
                var relaxed = Alpha * rows.RowDot(i, xt) + (1 - Alpha) * zA[i];
                var next = Math.Min(Math.Max(relaxed + yA[i] / rhoA[i], l[i]), u[i]);
                yA[i] += rhoA[i] * (relaxed - next);
                zA[i] = next;
            }
            for (var j = 0; j < nx; j++)
            {
                var relaxed = Alpha * xt[j] + (1 - Alpha) * zX[j];
                var next = g!.Prox(j, relaxed + yX[j] / rhoX[j], rhoX[j]);
                yX[j] += rhoX[j] * (relaxed - next);
                zX[j] = next;
            }
            for (var j = 0; j < n; j++) x[j] = Alpha * xt[j] + (1 - Alpha) * x[j];

            if (!check) continue;
            rows.Multiply(x, ax);
            DenseKernels.MultiplySquare(p, n, x, px);
            Array.Clear(aty);
            rows.TransposeMultiplyAdd(yA, aty);
            for (var j = 0; j < nx; j++) aty[j] += yX[j];
            double primal = 0, primalScale = 0, dual = 0, dualScale = 0;
            for (var i = 0; i < m; i++)
            {
                primal = Math.Max(primal, Math.Abs(ax[i] - zA[i]));
                primalScale = Math.Max(primalScale, Math.Max(Math.Abs(ax[i]), Math.Abs(zA[i])));
            }
            for (var j = 0; j < nx; j++)
            {
                primal = Math.Max(primal, Math.Abs(x[j] - zX[j]));
                primalScale = Math.Max(primalScale, Math.Max(Math.Abs(x[j]), Math.Abs(zX[j])));
            }
            for (var j = 0; j < n; j++)
            {
                dual = Math.Max(dual, Math.Abs(px[j] + q[j] + aty[j]));
                dualScale = Math.Max(dualScale, Math.Max(Math.Max(Math.Abs(px[j]), Math.Abs(aty[j])), Math.Abs(q[j])));
            }
            // The active set is usually right long before the residuals are small, and a polish is verified, so it is
            // tried early: when the iterate's active set has held for a check interval, and on a doubling schedule, with
            // a back-off after each failure because a polish over many free variables costs dense solves.
            var signature = ActiveSetSignature(l, u, g, zA, yA, zX);
            var settled = signature == previousSignature && signature != polishedSignature;
            previousSignature = signature;
            var converged = primal <= tolerance * (1 + primalScale) && dual <= tolerance * (1 + dualScale);
            var early = iteration + 1 >= nextPolish && (settled || iteration + 1 == nextPolish) && primal <= 1e-2 * (1 + primalScale) && dual <= 1e-2 * (1 + dualScale);
            if (converged || early)
            {
                polishedSignature = signature;
                if (ActiveSetPolish.TryPolish(qp, p, pMax, rows, zA, yA, g is null ? null : zX) is { } exact) return exact with { Iterations = iteration + 1 };
                nextPolish = Math.Max(2 * (iteration + 1), iteration + 51);
            }
            if (converged)
            {
                if (primal <= AbsoluteTolerance + RelativeTolerance * primalScale && dual <= AbsoluteTolerance + RelativeTolerance * dualScale)
                    return Evaluate(qp, x, yA, g is null ? null : yX, iteration + 1, false);
                tolerance = Math.Max(tolerance / 10, Math.Min(AbsoluteTolerance, RelativeTolerance));
            }

            CheckInfeasible(rows, l, u, g, yA, yAPrevious, yX, yXPrevious);
            CheckUnbounded(p, q, rows, l, u, g, x, xPrevious);

            if (iteration % 50 == 49)
            {
                var ratio = Math.Sqrt(primal / Math.Max(primalScale, 1e-30) / Math.Max(dual / Math.Max(dualScale, 1e-30), 1e-30));
                var next = Math.Clamp(rhoBase * ratio, 1e-6, 1e6);
                if (next > 5 * rhoBase || next < rhoBase / 5)
                {
                    rhoBase = next;
                    SetRho(rhoBase);
                    factor = Factor(p, n, rows, rhoA, rhoX);
                }
            }
        }

        var admm = Evaluate(qp, x, yA, g is null ? null : yX, iteration, false);
        if (ActiveSetPolish.TryPolish(qp, p, pMax, rows, zA, yA, g is null ? null : zX) is { } last) return last with { Iterations = iteration };
        if (admm.PrimalResidual > 1e-6 || admm.DualResidual > 1e-6)
            throw new QuantInputException($"the solver did not converge in {MaxIterations} iterations (primal residual {admm.PrimalResidual:E2}, dual {admm.DualResidual:E2}); the problem may be ill-conditioned");
        return admm;
    }

    // A hash of which rows sit on which bound and which variables sit on which breakpoint.
    private static long ActiveSetSignature(double[] l, double[] u, SeparableTerms? g, double[] zA, double[] yA, double[] zX)
    {
        var hash = new HashCode();
        for (var i = 0; i < zA.Length; i++)
            hash.Add(l[i] == u[i] ? 0 : zA[i] - l[i] < -yA[i] ? 1 : u[i] - zA[i] < yA[i] ? 2 : 3);
        if (g is not null)
            for (var j = 0; j < zX.Length; j++)
            {
                var v = zX[j];
                hash.Add(v == g.Lower[j] ? 1 : v == g.Upper[j] ? 2 : v == 0 && g.Weight[j] > 0 ? 3 : v == g.Center[j] && g.Distance[j] > 0 ? 4 : 5);
            }
        return (long)hash.ToHashCode() << 1 | 1;
    }

    /// <summary>Residuals and objective of a candidate (x, y, s).</summary>
    internal static QpSolution Evaluate(QuadraticProgram qp, double[] x, double[] y, double[]? separableMultipliers, int iterations, bool polished)
    {
        var xv = Vector<double>.Build.DenseOfArray(x);
        var yv = Vector<double>.Build.DenseOfArray(y);
        var ax = qp.A * xv;
        double primal = 0;
        for (var i = 0; i < ax.Count; i++) primal = Math.Max(primal, Math.Max(qp.Lower[i] - ax[i], ax[i] - qp.Upper[i]));
        var stationarity = qp.P * xv + qp.Q + qp.A.TransposeThisAndMultiply(yv);
        if (qp.Separable is { } g)
        {
            for (var j = 0; j < x.Length; j++)
            {
                primal = Math.Max(primal, Math.Max(g.Lower[j] - x[j], x[j] - g.Upper[j]));
                stationarity[j] += separableMultipliers![j];
            }
        }
        return new QpSolution(xv, yv, qp.Objective(xv), iterations, polished, primal, stationarity.InfinityNorm())
        {
            SeparableMultipliers = separableMultipliers is null ? null : Vector<double>.Build.DenseOfArray(separableMultipliers),
        };
    }

    private static double[] SymmetricRowMajor(Matrix<double> p)
    {
        var n = p.RowCount;
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                result[i * n + j] = 0.5 * (p[i, j] + p[j, i]);
        return result;
    }

    private static DenseCholesky Factor(double[] p, int n, SparseRows rows, double[] rhoA, double[] rhoX)
    {
        var k = (double[])p.Clone();
        for (var j = 0; j < n; j++) k[j * n + j] += Sigma + (rhoX.Length > 0 ? rhoX[j] : 0);
        for (var i = 0; i < rows.Count; i++)
        {
            var (columns, values) = (rows.Columns[i], rows.Values[i]);
            for (var a = 0; a < columns.Length; a++)
            {
                var scaled = rhoA[i] * values[a];
                var offset = columns[a] * n;
                // Only the lower triangle is read by the factorisation.
                for (var b = 0; b <= a; b++) k[offset + columns[b]] += scaled * values[b];
            }
        }
        return DenseCholesky.TryFactor(k, n)
            ?? throw new QuantInputException("the quadratic term is not positive semidefinite: the objective is not convex");
    }

    private static void CheckInfeasible(SparseRows rows, double[] l, double[] u, SeparableTerms? g, double[] yA, double[] yAPrevious, double[] yX, double[] yXPrevious)
    {
        var n = rows.Width;
        var deltaA = new double[yA.Length];
        var deltaX = new double[yX.Length];
        double norm = 0;
        for (var i = 0; i < yA.Length; i++) norm = Math.Max(norm, Math.Abs(deltaA[i] = yA[i] - yAPrevious[i]));
        for (var j = 0; j < yX.Length; j++) norm = Math.Max(norm, Math.Abs(deltaX[j] = yX[j] - yXPrevious[j]));
        if (norm < 1e-12) return;
        var eps = 1e-7 * norm;
        var aty = new double[n];
        rows.TransposeMultiplyAdd(deltaA, aty);
        for (var j = 0; j < deltaX.Length; j++) aty[j] += deltaX[j];
        if (aty.Any(v => Math.Abs(v) > eps)) return;
        double support = 0;
        for (var i = 0; i < deltaA.Length; i++) support += Support(l[i], u[i], deltaA[i]);
        for (var j = 0; j < deltaX.Length; j++) support += Support(g!.Lower[j], g.Upper[j], deltaX[j]);
        if (support < -eps) throw new QuantInputException("the constraints are infeasible: no portfolio satisfies them all (certificate found by the solver)");
    }

    // sup over v ∈ [lo, hi] of d·v.
    private static double Support(double lo, double hi, double d) =>
        d > 0 ? (double.IsPositiveInfinity(hi) ? double.PositiveInfinity : hi * d) : d < 0 ? (double.IsNegativeInfinity(lo) ? double.PositiveInfinity : lo * d) : 0;

    private static void CheckUnbounded(double[] p, double[] q, SparseRows rows, double[] l, double[] u, SeparableTerms? g, double[] x, double[] xPrevious)
    {
        var n = x.Length;
        var dx = new double[n];
        double norm = 0;
        for (var j = 0; j < n; j++) norm = Math.Max(norm, Math.Abs(dx[j] = x[j] - xPrevious[j]));
        if (norm < 1e-12) return;
        var eps = 1e-7 * norm;
        var pdx = new double[n];
        DenseKernels.MultiplySquare(p, n, dx, pdx);
        if (pdx.Any(v => Math.Abs(v) > eps)) return;
        // The direction must lower the objective including the L1 terms' growth along it.
        var slope = DenseKernels.Dot(q, dx);
        if (g is not null) for (var j = 0; j < n; j++) slope += (g.Weight[j] + g.Distance[j]) * Math.Abs(dx[j]);
        if (slope > -eps) return;
        for (var i = 0; i < rows.Count; i++)
        {
            var adx = rows.RowDot(i, dx);
            if (!RecedesWithin(l[i], u[i], adx, eps)) return;
        }
        if (g is not null) for (var j = 0; j < n; j++) if (!RecedesWithin(g.Lower[j], g.Upper[j], dx[j], eps)) return;
        throw new QuantInputException("the objective is unbounded under these constraints (add bounds or a budget constraint)");
    }

    private static bool RecedesWithin(double lo, double hi, double d, double eps) =>
        (double.IsPositiveInfinity(hi) || d <= eps) && (double.IsNegativeInfinity(lo) || d >= -eps);
}
