namespace CroweLogic.Flow.Activities.Incident;

/// <summary>The incident's record: timeline, who acknowledged, how far it escalated.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="ArtifactHash">The artifact concerned.</param>
/// <param name="Trigger">What started it.</param>
/// <param name="AcknowledgedBy">Who acknowledged.</param>
/// <param name="EscalationLevel">Highest level paged.</param>
/// <param name="Timeline">Steps in order, with workflow time.</param>
public sealed record PostMortem(string IncidentId, string ArtifactHash, string Trigger, string AcknowledgedBy, int EscalationLevel, IReadOnlyList<string> Timeline);
