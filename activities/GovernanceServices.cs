using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Audit;
using CroweLogic.Flow.Storage.Registry;

namespace CroweLogic.Flow.Activities;

/// <summary>What the research lane's activities act on: the store, its registry and audit log, the signing key and the lanes running in this process.</summary>
public sealed class GovernanceServices
{
    /// <summary>Services over a store, with the wall clock for audit and registry timestamps.</summary>
    /// <param name="store">The store (embedded or server).</param>
    /// <param name="signer">The key artifacts are signed with (a development key file, or an HSM/KMS command).</param>
    /// <param name="actor">Who the activities act as in the audit log.</param>
    /// <param name="laneQueue">This process's own task queue, where activities that touch its lanes go (default: one per process).</param>
    public GovernanceServices(IFlowStore store, IArtifactSigner signer, string actor = "flow-worker", string? laneQueue = null)
    {
        Store = store;
        Signer = signer;
        Actor = actor;
        LaneQueue = laneQueue ?? DefaultLaneQueue();
        Audit = new AuditLog(store, NowNanos);
        Registry = new ModelRegistry(store, Audit, NowNanos);
    }

    /// <summary>The store.</summary>
    public IFlowStore Store { get; }

    /// <summary>The hash-chained audit log.</summary>
    public AuditLog Audit { get; }

    /// <summary>The model registry.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>The signing key.</summary>
    public IArtifactSigner Signer { get; }

    /// <summary>
    /// The task queue only this process polls: a stage's lane runs in the worker that claimed it, and the incident
    /// activities of that lane (stand-down, flatten) must reach the same process, as in Temporal's worker-specific
    /// task queues.
    /// </summary>
    public string LaneQueue { get; }

    /// <summary>A queue name unique to this process.</summary>
    public static string DefaultLaneQueue() => $"flow-lanes@{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Lanes running in this process, by deployment, for incident control.</summary>
    public LiveLanes Lanes { get; } = new();

    /// <summary>Who the activities act as.</summary>
    public string Actor { get; }

    /// <summary>Wall clock, ns since the Unix epoch (activities are the side-effect side: wall time is allowed here).</summary>
    public static long NowNanos() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
}
