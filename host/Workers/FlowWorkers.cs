using CroweLogic.Flow.Activities;
using CroweLogic.Flow.Workflows;
using Temporalio.Worker;

namespace CroweLogic.Flow.Host.Workers;

/// <summary>
/// What every flow worker runs, in <c>flow up</c> and in <c>flow worker</c> alike: the health check, the governance
/// workflows with their activities on the services given, replay-safe spans, and a 30 s drain on shutdown.
/// </summary>
public static class FlowWorkers
{
    /// <summary>The task queue workers poll unless told otherwise.</summary>
    public const string DefaultQueue = "flow";

    /// <summary>Adds the flow workflows and activities to <paramref name="options"/>.</summary>
    public static TemporalWorkerOptions Configure(TemporalWorkerOptions options, GovernanceServices services)
    {
        options.AddWorkflow<HealthCheckWorkflow>().AddAllActivities(typeof(HealthCheckActivities), null);
        FlowWorkflows.AddTo(options, services);
        options.Interceptors = [new TracingInterceptor()];
        options.GracefulShutdownTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
