namespace CroweLogic.Flow.Workflows.Research;

/// <summary>A research run: a pod's strategy over a parameter grid on a data window, with the selection gates.</summary>
/// <param name="Pod">The quant pod (owner of the candidate).</param>
/// <param name="Strategy">Baseline strategy (momentum, mean-reversion).</param>
/// <param name="Grid">Parameter sets: each is one trial, backtested in parallel.</param>
/// <param name="From">First day of the research window, yyyy-MM-dd.</param>
/// <param name="To">Day after its last (held-out data starts here), yyyy-MM-dd.</param>
/// <param name="MinDeflatedSharpe">The winner's deflated Sharpe ratio must reach this (0.95: 95 % confidence that its Sharpe beats the best of N unskilled trials).</param>
/// <param name="MinProbabilisticSharpe">The winner's probabilistic Sharpe ratio must reach this.</param>
public sealed record ResearchRequest(string Pod, string Strategy, IReadOnlyList<GridPoint> Grid, string From, string To, double MinDeflatedSharpe = 0.95, double MinProbabilisticSharpe = 0.95);
