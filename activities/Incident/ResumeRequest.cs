namespace CroweLogic.Flow.Activities.Incident;

/// <summary>Lifts an incident's stand-down after an approval.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="Deployment">The deployment.</param>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="Approver">Who approved resuming.</param>
public sealed record ResumeRequest(string IncidentId, string Deployment, string ArtifactHash, string Approver);
