namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>
/// How a candidate performed in research: its KPIs (blueprint §10), the selection statistics that account for how many
/// configurations were tried, and the hash of the backtest's orders so a re-run can prove it reproduces.
/// </summary>
/// <param name="Kpis">Metric name → value, e.g. sharpe, max_drawdown (NaN where undefined).</param>
/// <param name="Sessions">Sessions (days) evaluated.</param>
/// <param name="Trials">Configurations tried in the search that produced the candidate.</param>
/// <param name="ProbabilisticSharpe">Probability the true Sharpe exceeds zero given the sample (Bailey &amp; López de Prado).</param>
/// <param name="DeflatedSharpe">The probabilistic Sharpe against the best Sharpe expected from <paramref name="Trials"/> unskilled trials.</param>
/// <param name="BacktestHash">SHA-256 of the backtest's orders and fills, for the reproducibility check.</param>
public sealed record PerformanceCard(IReadOnlyDictionary<string, double> Kpis, int Sessions, int Trials, double ProbabilisticSharpe, double DeflatedSharpe, string BacktestHash);
