namespace CroweLogic.Flow.Workflows.Allocation;

/// <summary>Periodic capital re-allocation across live models.</summary>
/// <param name="ArtifactHashes">The live models.</param>
/// <param name="Every">Time between re-allocations.</param>
/// <param name="Rounds">Re-allocations before the workflow ends (start it again, or on a schedule, to continue).</param>
public sealed record AllocatorPlan(IReadOnlyList<string> ArtifactHashes, TimeSpan Every, int Rounds);
