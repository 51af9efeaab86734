using CroweLogic.Flow.Activities.Lifecycle;
using CroweLogic.Flow.Workflows.Research;

namespace CroweLogic.Flow.Workflows.Lifecycle;

/// <summary>What the lifecycle decided.</summary>
/// <param name="ArtifactHash">The model.</param>
/// <param name="Decision">watching, stopped, sunset, retrained.</param>
/// <param name="Checks">Checks done in total.</param>
/// <param name="Kpis">The live KPIs at the last check.</param>
/// <param name="Reason">Why.</param>
/// <param name="Retrain">The retraining research, when it ran.</param>
public sealed record LifecycleOutcome(string ArtifactHash, string Decision, int Checks, LiveKpis? Kpis, string Reason, ResearchOutcome? Retrain);
