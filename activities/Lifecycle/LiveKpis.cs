namespace CroweLogic.Flow.Activities.Lifecycle;

/// <summary>A model's live record against its backtest: what alpha-decay detection judges. Undefined statistics are null.</summary>
/// <param name="ArtifactHash">The model.</param>
/// <param name="Sessions">Live sessions (canary and full).</param>
/// <param name="SharpePerPeriod">Live Sharpe ratio per session.</param>
/// <param name="BacktestSharpePerPeriod">The backtest's Sharpe ratio per session over its dataset window.</param>
/// <param name="ProbabilisticSharpe">P(live true Sharpe &gt; 0).</param>
/// <param name="ProbabilityBelowBacktest">P(live true Sharpe &lt; the backtest's): 1 − PSR against the backtest Sharpe.</param>
/// <param name="MaxDrawdown">Worst live drawdown (≤ 0).</param>
/// <param name="KsPValue">Kolmogorov–Smirnov p-value of live against backtest daily returns.</param>
public sealed record LiveKpis(
    string ArtifactHash, int Sessions, double? SharpePerPeriod, double? BacktestSharpePerPeriod, double? ProbabilisticSharpe, double? ProbabilityBelowBacktest,
    double MaxDrawdown, double? KsPValue);
