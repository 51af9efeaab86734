namespace CroweLogic.Flow.Quant.Execution;

/// <summary>
/// Optimal liquidation of X shares over T in N equal intervals (Almgren &amp; Chriss 2000) with linear temporary impact
/// h(v) = ε·sgn(v) + η·v, linear permanent impact g(v) = γ·v and arithmetic price volatility σ, minimising E[cost] + λ·Var[cost].
/// The discrete-time solution uses κ from cosh(κτ) = 1 + κ̃²τ²/2 with κ̃² = λσ²/η̃ and η̃ = η − γτ/2, not the continuous
/// approximation κ ≈ κ̃.
/// </summary>
/// <param name="Shares">X, shares to sell (use a positive number; a buy programme is the mirror image).</param>
/// <param name="Horizon">T, in the same time unit as σ (e.g. days).</param>
/// <param name="Intervals">N, number of trading intervals.</param>
/// <param name="Sigma">σ, price volatility per √time unit ($/share/√day).</param>
/// <param name="FixedCost">ε, fixed cost per share (half spread plus fees).</param>
/// <param name="PermanentImpact">γ, $/share per share.</param>
/// <param name="TemporaryImpact">η, $/share per (share/time unit).</param>
/// <param name="RiskAversion">λ, per $ of variance.</param>
public sealed record AlmgrenChriss(double Shares, double Horizon, int Intervals, double Sigma, double FixedCost, double PermanentImpact, double TemporaryImpact, double RiskAversion)
{
    /// <summary>τ = T/N.</summary>
    public double Tau => Horizon / Intervals;

    /// <summary>η̃ = η − γτ/2: the temporary impact net of the permanent impact's within-interval share.</summary>
    public double EtaTilde => TemporaryImpact - PermanentImpact * Tau / 2;

    /// <summary>κ from the discrete relation cosh(κτ) = 1 + κ̃²τ²/2.</summary>
    public double Kappa
    {
        get
        {
            Validate();
            var kappaTilde2 = RiskAversion * Sigma * Sigma / EtaTilde;
            return Acosh(1 + kappaTilde2 * Tau * Tau / 2) / Tau;
        }
    }

    /// <summary>Holdings x_0 = X … x_N = 0: x_j = X·sinh(κ(T − t_j))/sinh(κT); linear (TWAP) when λ = 0.</summary>
    public double[] Holdings()
    {
        Validate();
        var k = Kappa;
        var x = new double[Intervals + 1];
        for (var j = 0; j <= Intervals; j++)
        {
            var remaining = Horizon - j * Tau;
            x[j] = k == 0 ? Shares * remaining / Horizon : Shares * Math.Sinh(k * remaining) / Math.Sinh(k * Horizon);
        }
        x[Intervals] = 0;
        return x;
    }

    /// <summary>Shares sold in each interval, n_j = x_{j−1} − x_j.</summary>
    public double[] Trades()
    {
        var x = Holdings();
        return [.. Enumerable.Range(1, Intervals).Select(j => x[j - 1] - x[j])];
    }

    /// <summary>E[cost] of a holdings path: ½γX² + εΣ|n_j| + (η̃/τ)Σn_j².</summary>
    public double ExpectedCost(IReadOnlyList<double> holdings)
    {
        double fixedCost = 0, quadratic = 0;
        for (var j = 1; j < holdings.Count; j++)
        {
            var n = holdings[j - 1] - holdings[j];
            fixedCost += Math.Abs(n);
            quadratic += n * n;
        }
        return 0.5 * PermanentImpact * Shares * Shares + FixedCost * fixedCost + EtaTilde / Tau * quadratic;
    }

    /// <summary>Var[cost] of a holdings path: σ²τ Σ_{k=1}^{N} x_k².</summary>
    public double Variance(IReadOnlyList<double> holdings) => Sigma * Sigma * Tau * holdings.Skip(1).Sum(x => x * x);

    /// <summary>The objective E + λV of a holdings path.</summary>
    public double Objective(IReadOnlyList<double> holdings) => ExpectedCost(holdings) + RiskAversion * Variance(holdings);

    private void Validate()
    {
        if (!(Shares > 0) || !(Horizon > 0) || Intervals < 1) throw new QuantInputException("Almgren–Chriss needs positive shares, a positive horizon and at least one interval");
        if (!(Sigma >= 0) || !(FixedCost >= 0) || !(PermanentImpact >= 0) || !(RiskAversion >= 0)) throw new QuantInputException("σ, ε, γ and λ must be non-negative");
        if (!(EtaTilde > 0)) throw new QuantInputException($"η̃ = η − γτ/2 = {EtaTilde} must be positive: with these γ and τ the model has no convex solution (use more intervals)");
    }

    private static double Acosh(double x) => Math.Log(x + Math.Sqrt(x * x - 1));
}
