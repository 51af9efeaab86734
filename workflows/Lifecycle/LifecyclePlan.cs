using CroweLogic.Flow.Workflows.Research;

namespace CroweLogic.Flow.Workflows.Lifecycle;

/// <summary>How a live model's decay is watched and what happens when it decays.</summary>
/// <param name="ArtifactHash">The live model.</param>
/// <param name="CheckEvery">Time between checks.</param>
/// <param name="MinSessions">Live sessions needed before a verdict.</param>
/// <param name="MaxProbabilityBelowBacktest">Decayed when P(live Sharpe &lt; backtest Sharpe) exceeds this.</param>
/// <param name="MinKsPValue">Decayed when live returns differ from the backtest's with a KS p-value below this.</param>
/// <param name="MaxDrawdown">Decayed when the live drawdown is deeper than this.</param>
/// <param name="Retrain">Research to run (with stricter gates) on decay; null sunsets the model instead.</param>
/// <param name="ChecksPerRun">Checks before the workflow continues as new (bounds its history).</param>
/// <param name="ChecksDone">Checks done by earlier runs of this lifecycle.</param>
public sealed record LifecyclePlan(
    string ArtifactHash, TimeSpan CheckEvery, int MinSessions = 20, double MaxProbabilityBelowBacktest = 0.95, double MinKsPValue = 0.001, double MaxDrawdown = 0.15,
    ResearchRequest? Retrain = null, int ChecksPerRun = 100, int ChecksDone = 0);
