using Temporalio.Activities;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Host.Workers;

/// <summary>The worker's own liveness probe: <c>flow workflow start HealthCheck --wait</c> proves a worker polls the queue.</summary>
[Workflow("HealthCheck")]
public class HealthCheckWorkflow
{
    /// <summary>Runs the probe activity and returns what it saw.</summary>
    [WorkflowRun]
    public async Task<string> RunAsync() =>
        await Workflow.ExecuteActivityAsync(() => HealthCheckActivities.Probe(), new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
}

/// <summary>Activities of the health check.</summary>
public static class HealthCheckActivities
{
    /// <summary>Reports the worker identity and task queue that ran it.</summary>
    [Activity]
    public static string Probe()
    {
        var info = ActivityExecutionContext.Current.Info;
        return $"worker {Environment.MachineName}/{Environment.ProcessId} on task queue {info.TaskQueue}";
    }
}
