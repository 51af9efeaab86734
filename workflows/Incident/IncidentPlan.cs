using CroweLogic.Flow.Activities.Incident;

namespace CroweLogic.Flow.Workflows.Incident;

/// <summary>An incident and its escalation chain.</summary>
/// <param name="Incident">What happened, where.</param>
/// <param name="Escalation">Levels in order (at least one); after the last, the incident waits at that level.</param>
public sealed record IncidentPlan(IncidentRequest Incident, IReadOnlyList<EscalationStep> Escalation);
