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
        // Portfolio constraint matrices are mostly zeros (bounds, lifted L1 rows): the iterations multiply by a sparse
        // copy; factorisation and polishing keep the dense original.
        var rowStructure = RowNonzeros(A);
        var nonzeros = rowStructure.Sum(r => r.Columns.Length);
        var sparse = m * n > 10_000 && nonzeros < 0.2 * m * n ? Matrix<double>.Build.SparseOfMatrix(A) : A;
        var isEquality = Enumerable.Range(0, m).Select(i => l[i] == u[i]).ToArray();
        var rhoBase = 0.1;
        Vector<double> Rho(double r) => Vector<double>.Build.Dense(m, i => isEquality[i] ? 1e3 * r : double.IsInfinity(l[i]) && double.IsInfinity(u[i]) ? 1e-6 : r);
        var rho = Rho(rhoBase);
        var factor = Factor(P, rowStructure, rho);

        var x = Vector<double>.Build.Dense(n);
        var z = Vector<double>.Build.Dense(m);
        var y = Vector<double>.Build.Dense(m);
        // Work vectors reused every iteration: the loop allocates nothing.
        var rhs = Vector<double>.Build.Dense(n);
        var xt = Vector<double>.Build.Dense(n);
        var zt = Vector<double>.Build.Dense(m);
        var zRelaxed = Vector<double>.Build.Dense(m);
        var zNext = Vector<double>.Build.Dense(m);
        var work = Vector<double>.Build.Dense(m);
        var yPrevious = Vector<double>.Build.Dense(m);
        var xPrevious = Vector<double>.Build.Dense(n);
        var ax = Vector<double>.Build.Dense(m);
        var px = Vector<double>.Build.Dense(n);
        var aty = Vector<double>.Build.Dense(n);

        // A moderate ADMM tolerance first (1e-6: looser guesses measured to fail the polish and waste its dense solve): the
        // polish step makes an approximately right active set exact. Tighten only when
        // the polished point fails the strict check.
        var tolerance = 1e-6;
        var iteration = 0;
        for (; iteration < MaxIterations; iteration++)
        {
            // x̃ = K⁻¹(σx − q + Aᵀ(ρ∘z − y)). MathNet's sparse in-place products accumulate into their result, so every
        // product target is cleared first.
            rho.PointwiseMultiply(z, work);
            work.Subtract(y, work);
            rhs.Clear();
            sparse.TransposeThisAndMultiply(work, rhs);
            rhs.Add(x.Multiply(Sigma), rhs);
            rhs.Subtract(q, rhs);
            factor.Solve(rhs, xt);
            zt.Clear();
            sparse.Multiply(xt, zt);

            x.CopyTo(xPrevious);
            y.CopyTo(yPrevious);
            xt.Multiply(Alpha, rhs);
            rhs.Add(x.Multiply(1 - Alpha), x);
            zt.Multiply(Alpha, zRelaxed);
            zRelaxed.Add(z.Multiply(1 - Alpha), zRelaxed);
            y.PointwiseDivide(rho, work);
            work.Add(zRelaxed, work);
            ProjectInto(work, l, u, zNext);
            zRelaxed.Subtract(zNext, work);
            work.PointwiseMultiply(rho, work);
            y.Add(work, y);
            zNext.CopyTo(z);

            if (iteration % 10 != 9) continue;
            ax.Clear();
            sparse.Multiply(x, ax);
            P.Multiply(x, px);
            aty.Clear();
            sparse.TransposeThisAndMultiply(y, aty);
            var primal = (ax - z).InfinityNorm();
            var dual = (px + q + aty).InfinityNorm();
            var primalScale = Math.Max(ax.InfinityNorm(), z.InfinityNorm());
            var dualScale = Math.Max(Math.Max(px.InfinityNorm(), aty.InfinityNorm()), q.InfinityNorm());
            var converged = primal <= tolerance * (1 + primalScale) && dual <= tolerance * (1 + dualScale);
            if (converged)
            {
                if (TryPolish(qp, x, z, y) is { } exact) return exact with { Iterations = iteration };
                if (primal <= AbsoluteTolerance + RelativeTolerance * primalScale && dual <= AbsoluteTolerance + RelativeTolerance * dualScale)
                    return Evaluate(qp, x, y, iteration, false);
                tolerance = Math.Max(tolerance / 100, Math.Min(AbsoluteTolerance, RelativeTolerance));
            }

            CheckInfeasible(sparse, l, u, y - yPrevious);
            CheckUnbounded(P, q, sparse, l, u, x - xPrevious);

            if (iteration % 50 == 49)
            {
                var ratio = Math.Sqrt(primal / Math.Max(primalScale, 1e-30) / Math.Max(dual / Math.Max(dualScale, 1e-30), 1e-30));
                var next = Math.Clamp(rhoBase * ratio, 1e-6, 1e6);
                if (next > 5 * rhoBase || next < rhoBase / 5)
                {
                    rhoBase = next;
                    rho = Rho(rhoBase);
                    factor = Factor(P, rowStructure, rho);
                }
            }
        }

        var admm = Evaluate(qp, x, y, iteration, false);
        if (TryPolish(qp, x, z, y) is { } last) return last with { Iterations = iteration };
        if (admm.PrimalResidual > 1e-6 || admm.DualResidual > 1e-6)
            throw new QuantInputException($"the solver did not converge in {MaxIterations} iterations (primal residual {admm.PrimalResidual:E2}, dual {admm.DualResidual:E2}); the problem may be ill-conditioned");
        return admm;
    }

    /// <summary>Polishes and accepts the result only if it is feasible, stationary and has multipliers of the right signs.</summary>
    private static QpSolution? TryPolish(QuadraticProgram qp, Vector<double> x, Vector<double> z, Vector<double> y)
    {
        var (px, py) = Polish(qp, x, z, y);
        if (px is null || py is null) return null;
        var candidate = Evaluate(qp, px, py, 0, true);
        var scale = 1 + Math.Max(qp.Q.InfinityNorm(), qp.P.Enumerate().Max(Math.Abs)) * Math.Max(1, px.InfinityNorm());
        if (candidate.PrimalResidual > 1e-9 * (1 + px.InfinityNorm()) || candidate.DualResidual > 1e-9 * scale) return null;
        // A lower-bound multiplier must not be positive, an upper-bound one not negative (else the active set is wrong).
        var ax = qp.A * px;
        for (var i = 0; i < py.Count; i++)
        {
            if (qp.Lower[i] == qp.Upper[i]) continue;
            var atLower = Math.Abs(ax[i] - qp.Lower[i]) <= 1e-9 * (1 + Math.Abs(qp.Lower[i]));
            var atUpper = Math.Abs(ax[i] - qp.Upper[i]) <= 1e-9 * (1 + Math.Abs(qp.Upper[i]));
            if (py[i] > 1e-9 * scale && !atUpper) return null;
            if (py[i] < -1e-9 * scale && !atLower) return null;
        }
        return candidate;
    }

    private static QpSolution Evaluate(QuadraticProgram qp, Vector<double> x, Vector<double> y, int iterations, bool polished)
    {
        var ax = qp.A * x;
        var primal = (ax - Project(ax, qp.Lower, qp.Upper)).InfinityNorm();
        var dual = (qp.P * x + qp.Q + qp.A.TransposeThisAndMultiply(y)).InfinityNorm();
        return new QpSolution(x, y, qp.Objective(x), iterations, polished, primal, dual);
    }

    /// <summary>
    /// Solves the KKT system of the constraints the ADMM iterate marks active. Active rows that pin a single remaining
    /// variable (bounds, and lifted L1 rows once their partner is pinned) are eliminated first, so the dense solve only
    /// covers the variables strictly inside their bounds; the eliminated rows' multipliers are recovered afterwards
    /// from stationarity.
    /// </summary>
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
        var rows = active.ToDictionary(a => a.Row, a => a.Bound);
        var nonzeros = active.ToDictionary(a => a.Row, a => Enumerable.Range(0, n).Where(c => qp.A[a.Row, c] != 0).ToArray());

        // Presolve: repeatedly fix the single free variable of an active row.
        var fixedValue = new double?[n];
        var eliminated = new List<(int Row, int Variable)>();
        var pending = new HashSet<int>(rows.Keys);
        for (var progress = true; progress;)
        {
            progress = false;
            foreach (var r in pending.ToArray())
            {
                var free = nonzeros[r].Where(c => fixedValue[c] is null).ToArray();
                if (free.Length > 1) continue;
                var rest = nonzeros[r].Where(c => fixedValue[c] is not null).Sum(c => qp.A[r, c] * fixedValue[c]!.Value);
                pending.Remove(r);
                progress = true;
                if (free.Length == 0)
                {
                    if (Math.Abs(rest - rows[r]) > 1e-9 * (1 + Math.Abs(rows[r]))) return (null, null); // contradictory guess
                    continue; // redundant: multiplier 0
                }
                fixedValue[free[0]] = (rows[r] - rest) / qp.A[r, free[0]];
                eliminated.Add((r, free[0]));
            }
        }

        var freeVars = Enumerable.Range(0, n).Where(c => fixedValue[c] is null).ToArray();
        var kept = pending.OrderBy(r => r).ToArray();
        int f = freeVars.Length, k = kept.Length;
        var fixedVector = Vector<double>.Build.Dense(n, c => fixedValue[c] ?? 0);
        var pFixed = qp.P * fixedVector;
        var kkt = Matrix<double>.Build.Dense(f + k, f + k);
        var rhs = Vector<double>.Build.Dense(f + k);
        for (var a = 0; a < f; a++)
        {
            for (var b = 0; b < f; b++) kkt[a, b] = qp.P[freeVars[a], freeVars[b]];
            kkt[a, a] += 1e-12;
            rhs[a] = -qp.Q[freeVars[a]] - pFixed[freeVars[a]];
        }
        for (var a = 0; a < k; a++)
        {
            var r = kept[a];
            double rest = 0;
            foreach (var c in nonzeros[r]) if (fixedValue[c] is { } v) rest += qp.A[r, c] * v;
            for (var b = 0; b < f; b++)
            {
                var coefficient = qp.A[r, freeVars[b]];
                kkt[f + a, b] = coefficient;
                kkt[b, f + a] = coefficient;
            }
            kkt[f + a, f + a] = -1e-12;
            rhs[f + a] = rows[r] - rest;
        }

        var solution = Vector<double>.Build.Dense(0);
        if (f + k > 0)
        {
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
        }

        var xPolished = fixedVector.Clone();
        for (var a = 0; a < f; a++) xPolished[freeVars[a]] = solution[a];
        var yPolished = Vector<double>.Build.Dense(m);
        for (var a = 0; a < k; a++) yPolished[kept[a]] = solution[f + a];
        // Multipliers of eliminating rows, last eliminated first: stationarity of the variable each row pinned.
        var gradient = qp.P * xPolished + qp.Q;
        for (var e = eliminated.Count - 1; e >= 0; e--)
        {
            var (r, j) = eliminated[e];
            var sum = gradient[j];
            foreach (var s in rows.Keys) if (s != r && yPolished[s] != 0) sum += qp.A[s, j] * yPolished[s];
            yPolished[r] = -sum / qp.A[r, j];
        }
        return (xPolished, yPolished);
    }

    // Each row's nonzero columns and values: AᵀRA is then Σᵢ ρᵢ·aᵢaᵢᵀ over nonzeros only (portfolio rows are short).
    private static (int[] Columns, double[] Values)[] RowNonzeros(Matrix<double> a)
    {
        var result = new (int[], double[])[a.RowCount];
        for (var i = 0; i < a.RowCount; i++)
        {
            var columns = new List<int>();
            var values = new List<double>();
            for (var j = 0; j < a.ColumnCount; j++)
            {
                var v = a[i, j];
                if (v == 0) continue;
                columns.Add(j);
                values.Add(v);
            }
            result[i] = ([.. columns], [.. values]);
        }
        return result;
    }

    private static Cholesky<double> Factor(Matrix<double> p, (int[] Columns, double[] Values)[] rows, Vector<double> rho)
    {
        var k = p + Matrix<double>.Build.DenseIdentity(p.RowCount) * Sigma;
        for (var i = 0; i < rows.Length; i++)
        {
            var (columns, values) = rows[i];
            for (var a = 0; a < columns.Length; a++)
            {
                var scaled = rho[i] * values[a];
                for (var b = 0; b < columns.Length; b++) k[columns[a], columns[b]] += scaled * values[b];
            }
        }
        return ((k + k.Transpose()) / 2).Cholesky();
    }

    private static Vector<double> Project(Vector<double> v, Vector<double> l, Vector<double> u) =>
        Vector<double>.Build.Dense(v.Count, i => Math.Min(Math.Max(v[i], l[i]), u[i]));

    private static void ProjectInto(Vector<double> v, Vector<double> l, Vector<double> u, Vector<double> result)
    {
        for (var i = 0; i < v.Count; i++) result[i] = Math.Min(Math.Max(v[i], l[i]), u[i]);
    }

    // Callers pass the sparse copy: these use the allocating products, which overwrite (MathNet's sparse in-place
    // transpose product accumulates into its result instead).
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
