namespace CroweLogic.Flow.Activities.Incident;

/// <summary>An incident against a deployment: what triggered it and where.</summary>
/// <param name="IncidentId">Incident id (the incident workflow's id).</param>
/// <param name="Deployment">The deployment whose lane stands down.</param>
/// <param name="ArtifactHash">The artifact it runs.</param>
/// <param name="Trigger">kill_switch, crash_sentinel, drift, slo_breach, drawdown.</param>
/// <param name="Detail">What was seen.</param>
/// <param name="LaneQueue">The task queue of the worker that runs the deployment's lane (the rollout's status names it), so
/// stand-down and flatten reach that lane; null sends them to the workflow's own queue.</param>
public sealed record IncidentRequest(string IncidentId, string Deployment, string ArtifactHash, string Trigger, string Detail, string? LaneQueue = null);
