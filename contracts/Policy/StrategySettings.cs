namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The signal models the lane knows.</summary>
public static class StrategyModels
{
    /// <summary>Cross-sectional momentum on daily bars (blueprint §15.4): rank by the return from t−lookback to t−skip.</summary>
    public const string Momentum = "cross_sectional_momentum";

    /// <summary>Short-horizon cross-sectional mean reversion on daily bars: fade the last few days' relative return.</summary>
    public const string MeanReversion = "short_horizon_mean_reversion";

    /// <summary>Intraday quote model on ticks: order-book imbalance and short mid-return reversal.</summary>
    public const string QuoteImbalance = "quote_imbalance";

    /// <summary>Every model name.</summary>
    public static readonly string[] All = [Momentum, MeanReversion, QuoteImbalance];
}

/// <summary>The policy's <c>strategy</c> section: which model produces signals, and its parameters.</summary>
/// <param name="Model">One of <see cref="StrategyModels.All"/>.</param>
/// <param name="Lookback">Bars (daily models) or quotes (tick model) the signal looks back over.</param>
/// <param name="SkipRecent">Most recent bars left out of the lookback (momentum's 1-month skip, policy key <c>skip</c>); 0 for none.</param>
/// <param name="RebalanceEvery">Daily models: rebalance every N bars. Tick model: seconds between decisions per instrument.</param>
/// <param name="InformationCoefficient">Assumed correlation between the score and the next-horizon return: μ = IC · z · σ.</param>
/// <param name="MaxWeight">Largest absolute weight for one instrument, as a fraction of equity.</param>
public sealed record StrategySettings(string Model, int Lookback, int SkipRecent, int RebalanceEvery, double InformationCoefficient, double MaxWeight)
{
    /// <summary>12-1 momentum rebalanced every 21 bars, IC 0.05, at most 5 % in one name.</summary>
    public static StrategySettings Default { get; } = new(StrategyModels.Momentum, 252, 21, 21, 0.05, 0.05);
}
