using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using static CroweLogic.Flow.Quant.Tests.PyPortfolioOptReference;

namespace CroweLogic.Flow.Quant.Tests;

public class RiskParityAndSizingTests
{
    [Fact]
    public void Erc_with_uncorrelated_assets_is_inverse_volatility()
    {
        // Closed form: with a diagonal Σ, w_i ∝ 1/σ_i.
        double[] vol = [0.1, 0.2, 0.4];
        var cov = Matrix<double>.Build.DenseOfDiagonalArray([.. vol.Select(v => v * v)]);
        var w = EqualRiskContribution.Weights(cov);
        var inv = vol.Select(v => 1 / v).ToArray();
        for (var i = 0; i < 3; i++) Assert.Equal(inv[i] / inv.Sum(), w[i], 1e-13);
    }

    [Fact]
    public void Erc_equalises_risk_contributions_on_the_stock_set()
    {
        var s = Covariance.Sample(StockReturns);
        var contributions = EqualRiskContribution.RiskContributions(s, EqualRiskContribution.Weights(s));
        Assert.All(contributions, c => Assert.Equal(1.0 / 20, c, 1e-12));
    }

    [Fact]
    public void Risk_budgets_are_met_for_random_covariances() =>
        Prop.ForAll(Arb.From(Gen.Choose(2, 25)), n =>
        {
            var rnd = new Random(n * 101);
            var a = Matrix<double>.Build.Dense(n + 4, n, (_, _) => rnd.NextDouble() - 0.5);
            var cov = a.TransposeThisAndMultiply(a) + Matrix<double>.Build.DenseIdentity(n) * 0.01;
            cov = (cov + cov.Transpose()) / 2;
            var budgets = Enumerable.Range(0, n).Select(_ => 0.1 + rnd.NextDouble()).ToArray();
            budgets = [.. budgets.Select(b => b / budgets.Sum())];
            var w = EqualRiskContribution.Weights(cov, budgets);
            var rc = EqualRiskContribution.RiskContributions(cov, w);
            return w.All(x => x > 0) && Math.Abs(w.Sum() - 1) < 1e-12 && rc.Zip(budgets).All(p => Math.Abs(p.First - p.Second) < 1e-10);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));

    [Fact]
    public void Kelly_tempered_weights_follow_the_closed_form_and_the_cap()
    {
        var cov = Matrix<double>.Build.DenseOfDiagonalArray([0.04, 0.09]);
        var f = PositionSizing.KellyTempered([0.08, 0.09], cov, 0.5);
        Assert.Equal(0.5 * 0.08 / 0.04, f[0], 1e-14); // 1.0
        Assert.Equal(0.5 * 0.09 / 0.09, f[1], 1e-14); // 0.5
        var capped = PositionSizing.KellyTempered([0.08, 0.09], cov, 0.5, grossCap: 1.2);
        Assert.Equal(1.2, capped.Sum(Math.Abs), 1e-14);
        Assert.Equal(f[0] / f[1], capped[0] / capped[1], 1e-12);
        Assert.Contains("λ must lie in (0, 1]", Assert.Throws<QuantInputException>(() => PositionSizing.KellyTempered([0.1, 0.1], cov, 1.5)).Message);
    }

    [Fact]
    public void Volatility_targeting_scales_and_caps()
    {
        Assert.Equal(0.5, PositionSizing.VolatilityTargetLeverage(0.2, 0.1), 1e-15);
        Assert.Equal(1.5, PositionSizing.VolatilityTargetLeverage(0.05, 0.1, maxLeverage: 1.5), 1e-15);
    }

    [Fact]
    public void Turbulence_is_the_mahalanobis_distance()
    {
        Assert.Equal(0.01 * 0.01 + 0.02 * 0.02, Turbulence.Index([0.01, 0.02], [0, 0], Matrix<double>.Build.DenseIdentity(2)), 1e-18);
        var cov = Matrix<double>.Build.DenseOfArray(new[,] { { 0.04, 0.01 }, { 0.01, 0.09 } });
        double[] r = [0.05, -0.03], mu = [0.01, 0.0];
        var d = Vector<double>.Build.DenseOfArray([0.04, -0.03]);
        Assert.Equal(d * cov.Inverse() * d, Turbulence.Index(r, mu, cov), 1e-12);
        Assert.Equal(1, Turbulence.TailProbability(0, 2), 1e-15);
        Assert.Equal(Math.Exp(-1), Turbulence.TailProbability(2, 2), 1e-12); // χ²₂ tail is e^(−x/2)
        Assert.Contains("singular", Assert.Throws<QuantInputException>(() =>
            Turbulence.Index([0.1, 0.1], [0, 0], Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 1.0 }, { 1.0, 1.0 } }))).Message);
    }
}
