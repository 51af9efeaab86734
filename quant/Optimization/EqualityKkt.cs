using CroweLogic.Flow.Quant.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// Solves the equality-constrained KKT system [H Aᵀ; A 0]·[x; y] = [r; b] (H positive semidefinite on the null space of
/// A). Fast path: Cholesky of H + δI, a Schur complement on the few constraint rows, and iterative refinement that
/// removes the regularisation's bias. Fallback when H is too singular for that: pivoted LU of the whole system.
/// </summary>
internal static class EqualityKkt
{
    public static (double[] X, double[] Y)? Solve(double[] h, int f, double[][] a, double[] r, double[] b)
    {
        var k = a.Length;
        if (f + k == 0) return ([], []);
        double diagonal = 1;
        for (var i = 0; i < f; i++) diagonal = Math.Max(diagonal, Math.Abs(h[i * f + i]));
        var scale = Math.Max(diagonal, Math.Max(r.Select(Math.Abs).DefaultIfEmpty().Max(), b.Select(Math.Abs).DefaultIfEmpty().Max()));
        var delta = 1e-10 * diagonal;

        var regularised = (double[])h.Clone();
        for (var i = 0; i < f; i++) regularised[i * f + i] += delta;
        if (DenseCholesky.TryFactor(regularised, f) is { } cholesky)
        {
            // W = H⁻¹Aᵀ, S = AW + δI.
            var w = new double[k][];
            for (var c = 0; c < k; c++)
            {
                w[c] = (double[])a[c].Clone();
                cholesky.SolveInPlace(w[c]);
            }
            var schur = Matrix<double>.Build.Dense(k, k, (i, j) => DenseKernels.Dot(a[i], w[j]) + (i == j ? delta : 0));
            var schurLu = k > 0 ? schur.LU() : null;

            (double[] X, double[] Y) SolveRegularised(double[] r1, double[] r2)
            {
                var t = (double[])r1.Clone();
                cholesky.SolveInPlace(t);
                var y = new double[k];
                if (schurLu is not null)
                {
                    var rhs = Vector<double>.Build.Dense(k, i => DenseKernels.Dot(a[i], t) - r2[i]);
                    y = schurLu.Solve(rhs).ToArray();
                }
                for (var c = 0; c < k; c++) DenseKernels.Axpy(-y[c], w[c], t);
                return (t, y);
            }

            var (x, yv) = SolveRegularised(r, b);
            for (var step = 0; step < 30; step++)
            {
                var (res1, res2) = Residual(h, f, a, r, b, x, yv);
                var worst = Math.Max(res1.Select(Math.Abs).DefaultIfEmpty().Max(), res2.Select(Math.Abs).DefaultIfEmpty().Max());
                if (!double.IsFinite(worst)) break;
                if (worst <= 1e-14 * scale) return (x, yv);
                var (dx, dy) = SolveRegularised(res1, res2);
                for (var i = 0; i < f; i++) x[i] += dx[i];
                for (var i = 0; i < k; i++) yv[i] += dy[i];
            }
            var (f1, f2) = Residual(h, f, a, r, b, x, yv);
            if (f1.Concat(f2).All(v => Math.Abs(v) <= 1e-11 * scale)) return (x, yv);
        }
        return SolveByLu(h, f, a, r, b);
    }

    private static (double[] R1, double[] R2) Residual(double[] h, int f, double[][] a, double[] r, double[] b, double[] x, double[] y)
    {
        var r1 = new double[f];
        for (var i = 0; i < f; i++) r1[i] = r[i] - DenseKernels.Dot(h.AsSpan(i * f, f), x);
        for (var c = 0; c < a.Length; c++) DenseKernels.Axpy(-y[c], a[c], r1);
        var r2 = new double[a.Length];
        for (var c = 0; c < a.Length; c++) r2[c] = b[c] - DenseKernels.Dot(a[c], x);
        return (r1, r2);
    }

    private static (double[] X, double[] Y)? SolveByLu(double[] h, int f, double[][] a, double[] r, double[] b)
    {
        var k = a.Length;
        var kkt = Matrix<double>.Build.Dense(f + k, f + k);
        var rhs = Vector<double>.Build.Dense(f + k);
        for (var i = 0; i < f; i++)
        {
            for (var j = 0; j < f; j++) kkt[i, j] = h[i * f + j];
            kkt[i, i] += 1e-12;
            rhs[i] = r[i];
        }
        for (var c = 0; c < k; c++)
        {
            for (var j = 0; j < f; j++) kkt[f + c, j] = kkt[j, f + c] = a[c][j];
            kkt[f + c, f + c] = -1e-12;
            rhs[f + c] = b[c];
        }
        try
        {
            var lu = kkt.LU();
            var solution = lu.Solve(rhs);
            for (var refine = 0; refine < 3; refine++) solution += lu.Solve(rhs - kkt * solution);
            if (solution.Any(v => !double.IsFinite(v))) return null;
            return (solution.SubVector(0, f).ToArray(), solution.SubVector(f, k).ToArray());
        }
        catch (Exception)
        {
            return null;
        }
    }
}
