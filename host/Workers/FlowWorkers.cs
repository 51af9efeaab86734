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

    /// <summary>The queues a worker process polls: the ones asked for, and its own lane queue.</summary>
    public static IReadOnlyList<string> QueuesWithLane(IEnumerable<string> queues, GovernanceServices services) => [.. queues.Append(services.LaneQueue).Distinct(StringComparer.Ordinal)];

    /// <summary>The lane queue of the platform on a data directory: the same across its restarts, so a stage retried after a kill -9 finds the restarted platform's worker.</summary>
    public static string PlatformLaneQueue(string dataDirectory) =>
        $"flow-lanes@{Environment.MachineName}-up-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..12].ToLowerInvariant()}";

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
