using Temporalio.Activities;

namespace CroweLogic.Flow.Activities;

/// <summary>Where a deployment's lane runs: the worker that picks this activity from the shared queue answers with its own lane queue.</summary>
public sealed class LaneActivities(GovernanceServices services)
{
    /// <summary>Claims the deployment's lane for this worker: its stages and incident actions then go to the returned queue.</summary>
    [Activity("lanes.claim")]
    public string Claim(string deployment) => services.LaneQueue;
}
