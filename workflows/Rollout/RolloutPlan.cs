namespace CroweLogic.Flow.Workflows.Rollout;

/// <summary>A rollout of a signed artifact: stages in order, the guardrails, and whether full capital waits for an approval.</summary>
/// <param name="ArtifactHash">The signed, published artifact.</param>
/// <param name="Stages">shadow → canary (one or more capital steps) → full.</param>
/// <param name="Guardrails">Limits every stage is judged by.</param>
/// <param name="ApprovalBeforeFull">Wait for an approve signal before the full stage.</param>
/// <param name="Escalation">Who the incident a rollback opens pages, in order (null: on-call 15 min, desk head 30 min, CRO).</param>
public sealed record RolloutPlan(string ArtifactHash, IReadOnlyList<StagePlan> Stages, Guardrails Guardrails, bool ApprovalBeforeFull = true, IReadOnlyList<Incident.EscalationStep>? Escalation = null)
{
    /// <summary>The default escalation chain.</summary>
    public static IReadOnlyList<Incident.EscalationStep> DefaultEscalation { get; } =
        [new("on-call quant", TimeSpan.FromMinutes(15)), new("desk head", TimeSpan.FromMinutes(30)), new("CRO", TimeSpan.FromHours(1))];
}
