using CroweLogic.Flow.Quant.Numerics;
using CroweLogic.Flow.Quant.Optimization;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// The QP solver's building blocks against second methods: the proximal step against enumeration of every candidate
/// minimiser, the SIMD Cholesky against MathNet's, and programs with separable L1 terms against the same programs
/// lifted into auxiliary variables and constraint rows (the textbook reformulation), to 1e-7 in x and 1e-9 in the
/// objective; every polished solution must also certify itself (residuals ≤ 1e-9, multipliers in the subdifferential).
/// </summary>
public class QpSolverTests
{
    [Fact]
    public void The_proximal_step_matches_enumerating_candidates() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 1_000_000)), seed =>
        {
            var rnd = new Random(seed);
            double Pick(double scale) => Math.Round((rnd.NextDouble() - 0.5) * scale, rnd.Next(2) == 0 ? 1 : 4);
            var lo = rnd.Next(4) == 0 ? double.NegativeInfinity : Pick(2);
            var hi = rnd.Next(4) == 0 ? double.PositiveInfinity : Math.Max(lo, Pick(2)) + (rnd.Next(5) == 0 ? 0 : rnd.NextDouble());
            var terms = new SeparableTerms([lo], [hi], [rnd.Next(3) == 0 ? 0 : rnd.NextDouble()], [rnd.Next(3) == 0 ? 0 : rnd.NextDouble()], [Pick(2)]);
            var v = Pick(4);
            var rho = Math.Exp(rnd.NextDouble() * 6 - 3);
            double H(double z) => terms.Penalty(0, z) + 0.5 * rho * (z - v) * (z - v);

            // h is convex and piecewise quadratic: its minimiser is a breakpoint or a stationary point of one piece.
            var candidates = new List<double> { 0, terms.Center[0] };
            if (double.IsFinite(lo)) candidates.Add(lo);
            if (double.IsFinite(hi)) candidates.Add(hi);
            foreach (var sa in new[] { -1.0, 1.0 })
                foreach (var sb in new[] { -1.0, 1.0 })
                    candidates.Add(v - (sa * terms.Weight[0] + sb * terms.Distance[0]) / rho);
            var best = candidates.Select(z => Math.Clamp(z, lo, hi)).MinBy(H);

            var prox = terms.Prox(0, v, rho);
            return prox >= lo && prox <= hi && H(prox) <= H(best) + 1e-12 * (1 + Math.Abs(H(best))) && Math.Abs(prox - best) < 1e-6;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));

    [Fact]
    public void The_cholesky_solve_matches_mathnet()
    {
        var rnd = new Random(5);
        foreach (var n in new[] { 1, 3, 17, 64, 203 })
        {
            var a = Matrix<double>.Build.Dense(n + 5, n, (_, _) => rnd.NextDouble() - 0.5);
            var spd = a.TransposeThisAndMultiply(a) + Matrix<double>.Build.DenseIdentity(n) * 0.1;
            var b = Vector<double>.Build.Dense(n, _ => rnd.NextDouble());
            var expected = spd.Cholesky().Solve(b);
            var actual = b.ToArray();
            DenseCholesky.TryFactor(spd.ToRowMajorArray(), n)!.SolveInPlace(actual);
            for (var i = 0; i < n; i++) Assert.Equal(expected[i], actual[i], 1e-10);
        }
    }

    [Fact]
    public void The_cholesky_refuses_an_indefinite_matrix() =>
        Assert.Null(DenseCholesky.TryFactor([2, 3, 3, 2], 2));

    [Fact]
    public void Separable_l1_terms_equal_the_lifted_program() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 10_000)), seed =>
        {
            var (direct, lifted, n) = RobustPair(seed);
            var a = new AdmmQpSolver().Solve(direct);
            var b = new AdmmQpSolver().Solve(lifted);
            var gap = Math.Abs(a.Objective - b.Objective);
            var distance = Enumerable.Range(0, n).Max(i => Math.Abs(a.X[i] - b.X[i]));
            return (gap <= 1e-9 * (1 + Math.Abs(b.Objective)) && distance <= 1e-7)
                .Label($"objective {a.Objective:R} vs lifted {b.Objective:R}, max weight gap {distance:E2}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(25));

    [Fact]
    public void Polished_solutions_certify_their_own_optimality()
    {
        for (var seed = 1; seed <= 10; seed++)
        {
            var (qp, _, n) = RobustPair(seed);
            var solution = new AdmmQpSolver().Solve(qp);
            Assert.True(solution.Polished, $"seed {seed}: not polished");
            Assert.True(solution.PrimalResidual <= 1e-9, $"seed {seed}: primal residual {solution.PrimalResidual:E2}");
            Assert.True(solution.DualResidual <= 1e-9, $"seed {seed}: dual residual {solution.DualResidual:E2}");
            var g = qp.Separable!;
            for (var j = 0; j < n; j++)
            {
                var s = solution.SeparableMultipliers![j];
                Assert.InRange(s, g.LeftSlope(j, solution.X[j]) - 1e-9, g.RightSlope(j, solution.X[j]) + 1e-9);
            }
        }
    }

    [Fact]
    public void A_non_convex_objective_is_refused()
    {
        var qp = new QuadraticProgram(Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 0 }, { 0, -1 } }), Vector<double>.Build.Dense(2),
            Matrix<double>.Build.Dense(0, 2), Vector<double>.Build.Dense(0), Vector<double>.Build.Dense(0));
        Assert.Contains("not convex", Assert.Throws<QuantInputException>(() => new AdmmQpSolver().Solve(qp)).Message);
    }

    [Fact]
    public void Separable_bounds_that_cannot_meet_a_budget_are_infeasible()
    {
        const int n = 10;
        var qp = new QuadraticProgram(Matrix<double>.Build.DenseIdentity(n), Vector<double>.Build.Dense(n), Matrix<double>.Build.Dense(1, n, 1),
            Vector<double>.Build.Dense(1, 1), Vector<double>.Build.Dense(1, 1))
        {
            Separable = SeparableTerms.Box(Enumerable.Repeat(0.0, n).ToArray(), Enumerable.Repeat(0.05, n).ToArray()),
        };
        Assert.Contains("infeasible", Assert.Throws<QuantInputException>(() => new AdmmQpSolver().Solve(qp)).Message);
    }

    [Fact]
    public void Invalid_separable_terms_are_named()
    {
        var bad = new SeparableTerms([0], [1], [-1], [0], [0]);
        Assert.Contains("invalid L1 term", Assert.Throws<QuantInputException>(() => bad.Validate(1)).Message);
        Assert.Contains("above upper bound", Assert.Throws<QuantInputException>(() => SeparableTerms.Box([1], [0]).Validate(1)).Message);
    }

    /// <summary>
    /// A robust mean–variance program (box, budget, sector caps, L1 weight and turnover penalties), once with separable
    /// terms and once lifted: t ≥ |w − w₀| and s ≥ |w| as rows, bounds as rows, penalties on t and s.
    /// </summary>
    private static (QuadraticProgram Direct, QuadraticProgram Lifted, int N) RobustPair(int seed)
    {
        var rnd = new Random(seed);
        var n = 5 + rnd.Next(36);
        var f = Matrix<double>.Build.Dense(n, 3, (_, _) => (rnd.NextDouble() - 0.5) * 0.4);
        var sigma = f * f.Transpose() + Matrix<double>.Build.DenseOfDiagonalVector(Vector<double>.Build.Dense(n, _ => 0.01 + 0.05 * rnd.NextDouble()));
        var p = 4 * sigma;
        var q = Vector<double>.Build.Dense(n, _ => -(0.02 + 0.1 * rnd.NextDouble()));
        double upper = Math.Max(2.0 / n, 0.15), weightL1 = 0.002 * rnd.NextDouble(), turnover = 0.005 * rnd.NextDouble();
        var previous = Enumerable.Range(0, n).Select(_ => rnd.NextDouble()).ToArray();
        var total = previous.Sum();
        previous = [.. previous.Select(v => v / total)];
        const int sectors = 3;
        var a = Matrix<double>.Build.Dense(1 + sectors, n, (r, c) => r == 0 || c % sectors == r - 1 ? 1 : 0);
        var l = Vector<double>.Build.Dense(1 + sectors, r => r == 0 ? 1 : double.NegativeInfinity);
        var u = Vector<double>.Build.Dense(1 + sectors, r => r == 0 ? 1 : 0.45);
        var direct = new QuadraticProgram(p, q, a, l, u)
        {
            Separable = new SeparableTerms(new double[n], Enumerable.Repeat(upper, n).ToArray(), Enumerable.Repeat(weightL1, n).ToArray(),
                Enumerable.Repeat(turnover, n).ToArray(), previous),
        };

        var size = 3 * n;
        var bigP = Matrix<double>.Build.Dense(size, size);
        bigP.SetSubMatrix(0, 0, p);
        var bigQ = Vector<double>.Build.Dense(size, i => i < n ? q[i] : i < 2 * n ? turnover : weightL1);
        var rows = new List<(double[] Row, double Lo, double Hi)>();
        for (var r = 0; r < a.RowCount; r++) rows.Add(([.. a.Row(r), .. new double[2 * n]], l[r], u[r]));
        for (var i = 0; i < n; i++)
        {
            rows.Add((Unit(size, (i, 1)), 0, upper));
            rows.Add((Unit(size, (n + i, 1), (i, -1)), -previous[i], double.PositiveInfinity));
            rows.Add((Unit(size, (n + i, 1), (i, 1)), previous[i], double.PositiveInfinity));
            rows.Add((Unit(size, (2 * n + i, 1), (i, -1)), 0, double.PositiveInfinity));
            rows.Add((Unit(size, (2 * n + i, 1), (i, 1)), 0, double.PositiveInfinity));
        }
        var lifted = new QuadraticProgram(bigP, bigQ, Matrix<double>.Build.DenseOfRowArrays(rows.Select(r => r.Row)),
            Vector<double>.Build.DenseOfEnumerable(rows.Select(r => r.Lo)), Vector<double>.Build.DenseOfEnumerable(rows.Select(r => r.Hi)));
        return (direct, lifted, n);
    }

    private static double[] Unit(int size, params (int Index, double Value)[] entries)
    {
        var row = new double[size];
        foreach (var (index, value) in entries) row[index] = value;
        return row;
    }
}
