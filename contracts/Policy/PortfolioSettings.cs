namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The portfolio construction methods the lane runs (policy <c>portfolio.method</c>, Appendix A's <c>sizing.method</c>).</summary>
public static class PortfolioMethods
{
    /// <summary>w = λ · μ / σ² per forecast, times the regime's budget, clipped to the per-name cap.</summary>
    public const string KellyTempered = "kelly_tempered";

    /// <summary>Mean–variance utility μᵀw − ½δ·wᵀΣw − τ‖w − w_prev‖₁ − κ‖w‖₁ under box and budget, Σ a shrunk covariance of the lane's returns.</summary>
    public const string RobustMvo = "robust_mvo";

    /// <summary>Hierarchical risk parity over the gated names, each held long in the direction of its forecast.</summary>
    public const string Hrp = "hrp";

    /// <summary>Equal risk contribution over the gated names, each held long in the direction of its forecast.</summary>
    public const string Erc = "erc";

    /// <summary>Maximum μᵀw with the historical CVaR of one slice's return capped, under box and budget (a linear program).</summary>
    public const string MeanCvar = "mean_cvar";

    /// <summary>Every method.</summary>
    public static readonly string[] All = [KellyTempered, RobustMvo, Hrp, Erc, MeanCvar];

    /// <summary>Whether the method optimises the whole cross-section at a rebalance (everything but the per-forecast Kelly rule).</summary>
    public static bool IsCrossSectional(string method) => method != KellyTempered;
}

/// <summary>The covariance estimators of the lane's return window (policy <c>portfolio.covariance</c>).</summary>
public static class CovarianceEstimators
{
    /// <summary>Ledoit–Wolf (2004) shrinkage towards the scaled identity.</summary>
    public const string LedoitWolf = "ledoit_wolf";

    /// <summary>Oracle approximating shrinkage (Chen et al. 2010) towards the scaled identity.</summary>
    public const string Oas = "oas";

    /// <summary>The pairwise-complete sample covariance, repaired to the nearest PSD matrix when it is not PSD.</summary>
    public const string Sample = "sample";

    /// <summary>The semicovariance of shortfalls below a zero return (PyPortfolioOpt's <c>semicovariance</c>, benchmark 0): risk counted on the downside only.</summary>
    public const string Semicovariance = "semicovariance";

    /// <summary>Ledoit–Wolf shrinkage towards the constant-correlation matrix, of the pairwise-complete sample covariance (PyPortfolioOpt's <c>ledoit_wolf("constant_correlation")</c>).</summary>
    public const string ConstantCorrelation = "constant_correlation";

    /// <summary>Every estimator.</summary>
    public static readonly string[] All = [LedoitWolf, Oas, Sample, Semicovariance, ConstantCorrelation];
}

/// <summary>
/// The policy's <c>portfolio</c> section: how the gated forecasts become target weights. Units are the lane's slices
/// (a session on daily bars): μ is the forecast per slice, Σ the covariance of one slice's returns.
/// </summary>
/// <param name="Method">One of <see cref="PortfolioMethods.All"/>.</param>
public sealed record PortfolioSettings(string Method)
{
    /// <summary>Covariance estimator of the return window (<c>covariance</c>); default Ledoit–Wolf.</summary>
    public string Covariance { get; init; } = CovarianceEstimators.LedoitWolf;

    /// <summary>Slices of returns the covariance and the CVaR scenarios see (<c>window</c>); default 252.</summary>
    public int Window { get; init; } = 252;

    /// <summary>A name with fewer returns than this in the window sits out the rebalance at zero (<c>min_observations</c>); default 60.</summary>
    public int MinObservations { get; init; } = 60;

    /// <summary>Risk aversion δ of <see cref="PortfolioMethods.RobustMvo"/> (<c>risk_aversion</c>); default 50.</summary>
    public double RiskAversion { get; init; } = 50;

    /// <summary>Turnover penalty τ on ‖w − w_prev‖₁, per unit of weight traded (<c>turnover_penalty</c>); default 0.</summary>
    public double TurnoverPenalty { get; init; }

    /// <summary>Sparsity penalty κ on ‖w‖₁ (<c>l1_penalty</c>); default 0.</summary>
    public double L1Penalty { get; init; }

    /// <summary>
    /// True: long-only and fully invested (Σw = 1, 0 ≤ w ≤ cap); false, the default: a long-short book with Σw = 0 and
    /// |w| ≤ cap (<c>long_only</c>). Applies to the optimisers with a budget (robust_mvo, mean_cvar).
    /// </summary>
    public bool LongOnly { get; init; }

    /// <summary>CVaR confidence β of <see cref="PortfolioMethods.MeanCvar"/> (<c>cvar_beta</c>); default 0.95.</summary>
    public double CvarBeta { get; init; } = 0.95;

    /// <summary>Cap on CVaR_β of one slice's return for <see cref="PortfolioMethods.MeanCvar"/> (<c>cvar_limit</c>); default 0.02.</summary>
    public double CvarLimit { get; init; } = 0.02;

    /// <summary>
    /// Shares per lot orders are sized in (<c>lot_size</c>); default 1 (whole shares, each name rounded toward zero).
    /// Above 1, each side of a target set (longs, shorts) is rounded to whole lots together by CP-SAT: least total
    /// distance from the target values, never more than the side's capital.
    /// </summary>
    public int LotSize { get; init; } = 1;

    /// <summary>CP-SAT's time limit per side of a target set (<c>lot_rounding_seconds</c>); default 1.</summary>
    public double LotRoundingSeconds { get; init; } = 1;

    /// <summary>The defaults for a method.</summary>
    public static PortfolioSettings For(string method) => new(method);
}
