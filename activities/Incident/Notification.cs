namespace CroweLogic.Flow.Activities.Incident;

/// <summary>A page to a person or rota at an escalation level.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="ArtifactHash">The artifact concerned.</param>
/// <param name="Level">Escalation level (0 = first responder).</param>
/// <param name="Recipient">Who is paged.</param>
/// <param name="Message">What they read.</param>
public sealed record Notification(string IncidentId, string ArtifactHash, int Level, string Recipient, string Message);
