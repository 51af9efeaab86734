namespace CroweLogic.Flow.Workflows.Research;

/// <summary>One parameter set of the research grid.</summary>
/// <param name="Lookback">Lookback, sessions.</param>
/// <param name="SkipRecent">Recent sessions skipped.</param>
public sealed record GridPoint(int Lookback, int SkipRecent);
