using CroweLogic.Flow.Quant.Execution;
using CroweLogic.Flow.Quant.Optimization;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Quant.Tests;

/// <summary>
/// Almgren–Chriss on the paper's worked example (S₀ = 50, X = 10⁶, T = 5 days, N = 5, σ = 0.95, ε = 0.0625,
/// γ = 2.5e-7, η = 2.5e-6), checked against a second method: the discrete E + λV problem solved as a QP.
/// </summary>
public class ExecutionMathTests
{
    private static AlmgrenChriss Example(double lambda) => new(1e6, 5, 5, 0.95, 0.0625, 2.5e-7, 2.5e-6, lambda);

    [Theory]
    [InlineData(1e-6)]
    [InlineData(2e-6)]
    [InlineData(1e-5)]
    public void The_closed_form_schedule_is_the_qp_optimum(double lambda)
    {
        var ac = Example(lambda);
        var closed = ac.Holdings();

        // Variables x_1..x_{N−1} (x_0 = X, x_N = 0). Objective (η̃/τ)Σ(x_{j−1} − x_j)² + λσ²τΣx_j², scaled by 1/X² for conditioning.
        int n = ac.Intervals - 1;
        double a = ac.EtaTilde / ac.Tau, b = lambda * ac.Sigma * ac.Sigma * ac.Tau;
        var p = Matrix<double>.Build.Dense(n, n);
        var q = Vector<double>.Build.Dense(n);
        for (var j = 0; j < n; j++)
        {
            p[j, j] = 2 * (2 * a + b);
            if (j > 0) p[j, j - 1] = p[j - 1, j] = -2 * a;
        }
        q[0] = -2 * a; // from (X − x_1)² with X scaled to 1
        var solution = new AdmmQpSolver().Solve(new QuadraticProgram(p, q, Matrix<double>.Build.Dense(0, n), Vector<double>.Build.Dense(0), Vector<double>.Build.Dense(0)));
        for (var j = 1; j < ac.Intervals; j++) Assert.Equal(closed[j], solution.X[j - 1] * ac.Shares, 1e-6 * ac.Shares);
    }

    [Fact]
    public void Kappa_uses_the_discrete_relation()
    {
        var ac = Example(2e-6);
        var etaTilde = 2.5e-6 - 2.5e-7 * 1 / 2.0;
        Assert.Equal(etaTilde, ac.EtaTilde, 1e-18);
        var kappaTilde2 = 2e-6 * 0.95 * 0.95 / etaTilde;
        Assert.Equal(1 + kappaTilde2 / 2, Math.Cosh(ac.Kappa * ac.Tau), 1e-12);
        // The continuous approximation κ̃ differs visibly at this τ: the discrete relation matters.
        Assert.True(Math.Abs(ac.Kappa - Math.Sqrt(kappaTilde2)) > 1e-3);
    }

    [Fact]
    public void Risk_neutral_traders_sell_evenly_and_risk_averse_traders_front_load()
    {
        var neutral = Example(0).Trades();
        Assert.All(neutral, t => Assert.Equal(2e5, t, 1e-6));
        var averse = Example(1e-5).Trades();
        Assert.True(averse.Zip(averse.Skip(1)).All(p => p.First > p.Second));
        Assert.Equal(1e6, averse.Sum(), 1e-6);
    }

    [Fact]
    public void Cost_and_variance_of_the_linear_schedule_match_the_paper_formulas()
    {
        var ac = Example(0);
        var x = ac.Holdings();
        // E = ½γX² + εX + η̃X²/T; V = σ²X²T(1 − 1/N)(1 − 1/(2N))/3 (Almgren & Chriss 2000, eq. for the linear strategy).
        Assert.Equal(0.5 * 2.5e-7 * 1e12 + 0.0625 * 1e6 + ac.EtaTilde * 1e12 / 5, ac.ExpectedCost(x), 1e-6);
        Assert.Equal(0.95 * 0.95 * 1e12 * 5 * (1 - 1 / 5.0) * (1 - 1 / 10.0) / 3, ac.Variance(x), 1e-3);
        // The optimal schedule for λ > 0 beats the linear one on E + λV.
        var averse = Example(2e-6);
        Assert.True(averse.Objective(averse.Holdings()) < averse.Objective(x));
    }

    [Fact]
    public void Square_root_impact_and_bad_parameters()
    {
        Assert.Equal(0.02 * 0.1, SquareRootImpact.Fraction(10_000, 1_000_000, 0.02), 1e-15);
        Assert.Throws<QuantInputException>(() => SquareRootImpact.Fraction(1, 0, 0.02));
        var error = Assert.Throws<QuantInputException>(() => new AlmgrenChriss(1e6, 5, 1, 0.95, 0.0625, 2.5e-5, 2.5e-6, 1e-6).Holdings());
        Assert.Contains("η̃ = η − γτ/2", error.Message);
    }
}
