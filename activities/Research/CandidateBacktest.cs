namespace CroweLogic.Flow.Activities.Research;

/// <summary>One research trial: a baseline strategy with one parameter set, backtested on the daily set over a window.</summary>
/// <param name="Strategy">Baseline name (momentum, mean-reversion).</param>
/// <param name="Lookback">Strategy lookback, sessions.</param>
/// <param name="SkipRecent">Most recent sessions left out of the signal.</param>
/// <param name="From">First day, yyyy-MM-dd.</param>
/// <param name="To">Day after the last, yyyy-MM-dd.</param>
public sealed record CandidateBacktest(string Strategy, int Lookback, int SkipRecent, string From, string To)
{
    /// <summary>strategy-lookback-skip.</summary>
    public string Name => $"{Strategy}-{Lookback}-{SkipRecent}";
}
