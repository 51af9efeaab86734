namespace CroweLogic.Flow.Activities.Research;

/// <summary>What a trial's backtest showed. Statistics its sessions cannot define are null (and absent from <see cref="Kpis"/>).</summary>
/// <param name="Candidate">The trial.</param>
/// <param name="Sessions">Sessions traded.</param>
/// <param name="SharpePerPeriod">Mean over standard deviation of daily returns (not annualised: PSR and DSR work per period).</param>
/// <param name="Skewness">Skewness of daily returns.</param>
/// <param name="Kurtosis">Kurtosis of daily returns (normal = 3).</param>
/// <param name="ProbabilisticSharpe">P(true Sharpe &gt; 0).</param>
/// <param name="Kpis">The blueprint §10 KPI set (finite values only).</param>
/// <param name="ResultHash">Reproducibility hash of the run's orders and sessions.</param>
/// <param name="Orders">Orders sent.</param>
public sealed record CandidateResult(
    CandidateBacktest Candidate, int Sessions, double? SharpePerPeriod, double? Skewness, double? Kurtosis, double? ProbabilisticSharpe,
    IReadOnlyDictionary<string, double> Kpis, string ResultHash, long Orders);
