namespace CroweLogic.Flow.Workflows.Incident;

/// <summary>An incident's status (query) and result.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="Stage">stood_down, flattened, paging, acknowledged, awaiting_resume_approval, resumed.</param>
/// <param name="EscalationLevel">Highest level paged.</param>
/// <param name="AcknowledgedBy">Who acknowledged, once someone did.</param>
/// <param name="ResumedBy">Who approved resuming, once someone did.</param>
/// <param name="Timeline">Every step with its workflow time.</param>
public sealed record IncidentStatus(string IncidentId, string Stage, int EscalationLevel, string? AcknowledgedBy, string? ResumedBy, IReadOnlyList<string> Timeline);
