using CroweLogic.Flow.Quant.Numerics;

namespace CroweLogic.Flow.Quant.Optimization;

/// <summary>
/// Turns an approximate ADMM iterate into an exact solution. The active set read off the iterate (constraint rows the
/// multipliers mark active, variables the proximal step left on a bound or kink) seeds a primal–dual active-set loop:
/// solve the equality-constrained KKT system, pin variables that crossed a breakpoint, release pinned ones whose
/// multiplier left its admissible interval, drop rows with wrong-signed multipliers and add violated ones, until
/// nothing changes. The result is accepted only if it is feasible, stationary and every multiplier is admissible, so
/// a wrong guess costs a few small solves and never a wrong answer.
/// </summary>
internal static class ActiveSetPolish
{
    private const int MaxRounds = 30;

    /// <param name="qp">The program.</param>
    /// <param name="p">P symmetrised, row-major.</param>
    /// <param name="pMax">max |Pᵢⱼ|, for tolerances.</param>
    /// <param name="rows">A's nonzeros.</param>
    /// <param name="zA">The iterate's constraint values.</param>
    /// <param name="yA">The iterate's constraint multipliers.</param>
    /// <param name="zX">The iterate's separable-term values (null without separable terms).</param>
    public static QpSolution? TryPolish(QuadraticProgram qp, double[] p, double pMax, SparseRows rows, double[] zA, double[] yA, double[]? zX)
    {
        var scale = 1 + Math.Max(qp.Q.InfinityNorm(), pMax) * Math.Max(1, zX?.Max(Math.Abs) ?? 1);
        var state = ActiveSet.FromIterate(qp, zA, yA, zX);
        Solved? solved = null;
        for (var round = 0; round < MaxRounds; round++)
        {
            solved = Solve(qp, p, rows, state);
            if (solved is null) return null;
            if (!state.Update(qp, rows, solved, 1e-9 * scale)) break;
        }
        if (solved is null) return null;

        var (x, y, s) = (solved.X, solved.Y, solved.Clamped(qp.Separable));
        var candidate = AdmmQpSolver.Evaluate(qp, x, y, s, 0, true);
        scale = 1 + Math.Max(qp.Q.InfinityNorm(), pMax) * Math.Max(1, candidate.X.InfinityNorm());
        if (candidate.PrimalResidual > 1e-9 * (1 + candidate.X.InfinityNorm()) || candidate.DualResidual > 1e-9 * scale) return null;
        // A lower-bound multiplier must not be positive, an upper-bound one not negative (else the active set is wrong).
        for (var i = 0; i < y.Length; i++)
        {
            if (qp.Lower[i] == qp.Upper[i]) continue;
            var ax = rows.RowDot(i, x);
            var atLower = Math.Abs(ax - qp.Lower[i]) <= 1e-9 * (1 + Math.Abs(qp.Lower[i]));
            var atUpper = Math.Abs(ax - qp.Upper[i]) <= 1e-9 * (1 + Math.Abs(qp.Upper[i]));
            if (y[i] > 1e-9 * scale && !atUpper) return null;
            if (y[i] < -1e-9 * scale && !atLower) return null;
        }
        // A variable moving freely must sit where its separable term has the slope the solve assumed.
        if (qp.Separable is { } g)
            for (var j = 0; j < x.Length; j++)
                if (double.IsNaN(solved.PinnedAt[j]) && (g.LeftSlope(j, x[j]) != solved.Slope[j] || g.RightSlope(j, x[j]) != solved.Slope[j])) return null;
        return candidate;
    }

    /// <summary>A KKT solution for one active set; <see cref="RawSeparable"/> holds −(∇f + Aᵀy) for pinned variables.</summary>
    private sealed record Solved(double[] X, double[] Y, double[] RawSeparable, double[] PinnedAt, double[] Slope)
    {
        public double[]? Clamped(SeparableTerms? g)
        {
            if (g is null) return null;
            var s = new double[X.Length];
            for (var j = 0; j < s.Length; j++)
                s[j] = double.IsNaN(PinnedAt[j]) ? Slope[j] : Math.Clamp(RawSeparable[j], g.LeftSlope(j, X[j]), g.RightSlope(j, X[j]));
            return s;
        }
    }

    /// <summary>The guessed active set: pinned variables (value, or NaN when free on a segment with a known slope) and active rows.</summary>
    private sealed class ActiveSet
    {
        public required double[] PinnedAt { get; init; }
        public required double[] SegmentLow { get; init; }
        public required double[] SegmentHigh { get; init; }
        public required double[] Slope { get; init; }
        public required Dictionary<int, double> Bound { get; init; }

        public static ActiveSet FromIterate(QuadraticProgram qp, double[] zA, double[] yA, double[]? zX)
        {
            int n = qp.Variables, m = zA.Length;
            var g = qp.Separable;
            var set = new ActiveSet
            {
                PinnedAt = new double[n],
                SegmentLow = new double[n],
                SegmentHigh = new double[n],
                Slope = new double[n],
                Bound = [],
            };
            for (var j = 0; j < n; j++)
            {
                set.PinnedAt[j] = double.NaN;
                set.SegmentLow[j] = double.NegativeInfinity;
                set.SegmentHigh[j] = double.PositiveInfinity;
                if (g is null) continue;
                var z = zX![j];
                if (g.IsBreakpoint(j, z)) set.PinnedAt[j] = z;
                else set.Free(j, g.PreviousBreakpoint(j, z), g.NextBreakpoint(j, z), g.RightSlope(j, z));
            }
            for (var i = 0; i < m; i++)
            {
                if (qp.Lower[i] == qp.Upper[i]) set.Bound[i] = qp.Lower[i];
                else if (zA[i] - qp.Lower[i] < -yA[i]) set.Bound[i] = qp.Lower[i];
                else if (qp.Upper[i] - zA[i] < yA[i]) set.Bound[i] = qp.Upper[i];
            }
            return set;
        }

        private void Free(int j, double low, double high, double slope)
        {
            PinnedAt[j] = double.NaN;
            SegmentLow[j] = low;
            SegmentHigh[j] = high;
            Slope[j] = slope;
        }

        /// <summary>Moves the active set towards optimality; false when the solution already satisfies it.</summary>
        public bool Update(QuadraticProgram qp, SparseRows rows, Solved solved, double tolerance)
        {
            var changed = false;
            if (qp.Separable is { } g)
            {
                for (var j = 0; j < solved.X.Length; j++)
                {
                    var x = solved.X[j];
                    if (double.IsNaN(PinnedAt[j]))
                    {
                        if (x <= SegmentLow[j]) (PinnedAt[j], changed) = (SegmentLow[j], true);
                        else if (x >= SegmentHigh[j]) (PinnedAt[j], changed) = (SegmentHigh[j], true);
                        continue;
                    }
                    var at = PinnedAt[j];
                    var s = solved.RawSeparable[j];
                    if (s < g.LeftSlope(j, at) - tolerance)
                    {
                        Free(j, g.PreviousBreakpoint(j, at), at, g.LeftSlope(j, at));
                        changed = true;
                    }
                    else if (s > g.RightSlope(j, at) + tolerance)
                    {
                        Free(j, at, g.NextBreakpoint(j, at), g.RightSlope(j, at));
                        changed = true;
                    }
                }
            }
            for (var i = 0; i < rows.Count; i++)
            {
                if (qp.Lower[i] == qp.Upper[i]) continue;
                if (Bound.TryGetValue(i, out var b))
                {
                    var y = solved.Y[i];
                    if ((b == qp.Lower[i] && y > tolerance) || (b == qp.Upper[i] && y < -tolerance))
                    {
                        Bound.Remove(i);
                        changed = true;
                    }
                    continue;
                }
                var ax = rows.RowDot(i, solved.X);
                if (ax > qp.Upper[i] + tolerance) (Bound[i], changed) = (qp.Upper[i], true);
                else if (ax < qp.Lower[i] - tolerance) (Bound[i], changed) = (qp.Lower[i], true);
            }
            return changed;
        }
    }

    private static Solved? Solve(QuadraticProgram qp, double[] p, SparseRows rows, ActiveSet set)
    {
        int n = qp.Variables, m = rows.Count;
        var fixedValue = new double?[n];
        for (var j = 0; j < n; j++) if (!double.IsNaN(set.PinnedAt[j])) fixedValue[j] = set.PinnedAt[j];
        var slope = set.Slope;

        // Presolve: repeatedly fix the single free variable of an active row.
        var eliminated = new List<(int Row, int Variable)>();
        var pending = new HashSet<int>(set.Bound.Keys);
        for (var progress = true; progress;)
        {
            progress = false;
            foreach (var r in pending.ToArray())
            {
                int free = -1, freeCount = 0;
                double rest = 0;
                var (columns, values) = (rows.Columns[r], rows.Values[r]);
                for (var k = 0; k < columns.Length; k++)
                {
                    if (fixedValue[columns[k]] is { } v) rest += values[k] * v;
                    else if (freeCount++ == 0) free = k;
                }
                if (freeCount > 1) continue;
                pending.Remove(r);
                progress = true;
                if (freeCount == 0)
                {
                    if (Math.Abs(rest - set.Bound[r]) > 1e-9 * (1 + Math.Abs(set.Bound[r])))
                    {
                        // The pins already decide this row and miss its bound: an equality cannot hold (wrong guess); an
                        // inequality is taken as inactive, and the update re-adds it if the pins violate it.
                        if (qp.Lower[r] == qp.Upper[r]) return null;
                        set.Bound.Remove(r);
                    }
                    continue; // redundant: multiplier 0
                }
                fixedValue[columns[free]] = (set.Bound[r] - rest) / values[free];
                eliminated.Add((r, columns[free]));
            }
        }

        var freeVars = Enumerable.Range(0, n).Where(c => fixedValue[c] is null).ToArray();
        var kept = pending.OrderBy(r => r).ToArray();
        var x = new double[n];
        for (var j = 0; j < n; j++) x[j] = fixedValue[j] ?? 0;
        var pFixed = new double[n];
        DenseKernels.MultiplySymmetricSparse(p, n, x, pFixed);

        var f = freeVars.Length;
        var position = new int[n];
        Array.Fill(position, -1);
        for (var a = 0; a < f; a++) position[freeVars[a]] = a;
        var hessian = new double[f * f];
        var rhsX = new double[f];
        for (var a = 0; a < f; a++)
        {
            var row = freeVars[a] * n;
            for (var b = 0; b < f; b++) hessian[a * f + b] = p[row + freeVars[b]];
            rhsX[a] = -qp.Q[freeVars[a]] - slope[freeVars[a]] - pFixed[freeVars[a]];
        }
        var constraintRows = new double[kept.Length][];
        var rhsY = new double[kept.Length];
        for (var a = 0; a < kept.Length; a++)
        {
            var r = kept[a];
            var dense = new double[f];
            double rest = 0;
            var (columns, values) = (rows.Columns[r], rows.Values[r]);
            for (var k = 0; k < columns.Length; k++)
            {
                if (fixedValue[columns[k]] is { } v) rest += values[k] * v;
                else dense[position[columns[k]]] = values[k];
            }
            constraintRows[a] = dense;
            rhsY[a] = set.Bound[r] - rest;
        }

        if (EqualityKkt.Solve(hessian, f, constraintRows, rhsX, rhsY) is not { } solution) return null;
        var (xFree, yKept) = solution;
        for (var a = 0; a < f; a++) x[freeVars[a]] = xFree[a];
        var y = new double[m];
        for (var a = 0; a < kept.Length; a++) y[kept[a]] = yKept[a];

        // Multipliers of eliminating rows, last eliminated first: stationarity of the variable each row pinned.
        var gradient = new double[n];
        DenseKernels.MultiplySymmetricSparse(p, n, x, gradient);
        for (var j = 0; j < n; j++) gradient[j] += qp.Q[j];
        for (var e = eliminated.Count - 1; e >= 0; e--)
        {
            var (r, j) = eliminated[e];
            var sum = gradient[j] + slope[j];
            foreach (var other in set.Bound.Keys) if (other != r && y[other] != 0) sum += rows.Coefficient(other, j) * y[other];
            y[r] = -sum / rows.Coefficient(r, j);
        }

        var raw = new double[n];
        rows.TransposeMultiplyAdd(y, raw);
        for (var j = 0; j < n; j++) raw[j] = -(gradient[j] + raw[j]);
        return new Solved(x, y, raw, (double[])set.PinnedAt.Clone(), (double[])slope.Clone());
    }
}
