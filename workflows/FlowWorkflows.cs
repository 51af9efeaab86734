using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Activities.Incident;
using CroweLogic.Flow.Activities.Lifecycle;
using CroweLogic.Flow.Activities.Registry;
using CroweLogic.Flow.Activities.Research;
using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Workflows.Allocation;
using CroweLogic.Flow.Workflows.Incident;
using CroweLogic.Flow.Workflows.Lifecycle;
using CroweLogic.Flow.Workflows.Research;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows;

/// <summary>The governance workflows and their activities, registered on a worker in one place.</summary>
public static class FlowWorkflows
{
    /// <summary>Every governance workflow type.</summary>
    public static IReadOnlyList<Type> All { get; } =
    [
        typeof(ResearchWorkflow), typeof(ModelSigningWorkflow), typeof(RolloutWorkflow), typeof(IncidentResponseWorkflow),
        typeof(AlphaLifecycleWorkflow), typeof(MetaAllocatorWorkflow),
    ];

    /// <summary>Adds every workflow and every activity (bound to <paramref name="services"/>) to worker options.</summary>
    public static TemporalWorkerOptions AddTo(TemporalWorkerOptions options, GovernanceServices services)
    {
        foreach (var workflow in All) options.AddWorkflow(workflow);
        options.AddAllActivities(new ResearchActivities(services));
        options.AddAllActivities(new RegistryActivities(services));
        options.AddAllActivities(new RolloutActivities(services));
        options.AddAllActivities(new IncidentActivities(services));
        options.AddAllActivities(new LifecycleActivities(services));
        options.AddAllActivities(new LaneActivities(services));
        return options;
    }
}
