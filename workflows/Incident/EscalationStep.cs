namespace CroweLogic.Flow.Workflows.Incident;

/// <summary>Who is paged at one escalation level and how long they have to acknowledge before the next level is paged.</summary>
/// <param name="Recipient">Person or rota.</param>
/// <param name="WaitForAck">Time to acknowledge.</param>
public sealed record EscalationStep(string Recipient, TimeSpan WaitForAck);
