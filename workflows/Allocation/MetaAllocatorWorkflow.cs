using CroweLogic.Flow.Activities.Lifecycle;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Allocation;

/// <summary>
/// The meta-allocator (blueprint §9.1, §16.5): every period, the CVaR-penalised LinUCB bandit re-allocates capital
/// across the live models from their live sessions (an activity: the bandit's arithmetic reads the store). The latest
/// allocation is a query; a stop signal ends it after the current round.
/// </summary>
[Workflow("MetaAllocator")]
public sealed class MetaAllocatorWorkflow
{
    private readonly List<AllocationResult> _rounds = [];
    private bool _stop;

    /// <summary>The latest allocation, or null before the first.</summary>
    [WorkflowQuery("allocation")]
    public AllocationResult? Allocation => _rounds.Count == 0 ? null : _rounds[^1];

    /// <summary>Stops after the current round.</summary>
    [WorkflowSignal("stop")]
    public Task StopAsync()
    {
        _stop = true;
        return Task.CompletedTask;
    }

    /// <summary>Runs the rounds; returns every allocation made.</summary>
    [WorkflowRun]
    public async Task<List<AllocationResult>> RunAsync(AllocatorPlan plan)
    {
        Workflow.UpsertTypedSearchAttributes(FlowSearchAttributes.Stage.ValueSet("allocating"));
        for (var round = 0; round < plan.Rounds && !_stop; round++)
        {
            if (round > 0 && await Workflow.WaitConditionAsync(() => _stop, plan.Every)) break;
            _rounds.Add(await Workflow.ExecuteActivityAsync((LifecycleActivities a) => a.AllocateAsync(new AllocationRequest(plan.ArtifactHashes)), ActivityProfiles.LaneRun));
        }
        return _rounds;
    }
}
