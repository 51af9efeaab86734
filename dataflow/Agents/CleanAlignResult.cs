using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>What one batch became: the events passed on (same schema) and those held back.</summary>
/// <param name="Accepted">Events passed on, in input order.</param>
/// <param name="Quarantined">Events held back; with <paramref name="Accepted"/> they account for every input row.</param>
public sealed record CleanAlignResult(RecordBatch Accepted, IReadOnlyList<QuarantinedEvent> Quarantined);
