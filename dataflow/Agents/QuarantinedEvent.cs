namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>An event held back, with its row in the input batch and why.</summary>
/// <param name="Row">Row index in the input batch.</param>
/// <param name="Symbol">Instrument.</param>
/// <param name="Ts">Event time (ns UTC).</param>
/// <param name="Sequence">Source sequence number.</param>
/// <param name="Reason">One of <see cref="CleanAlignReasons"/>.</param>
public readonly record struct QuarantinedEvent(int Row, string Symbol, long Ts, long Sequence, string Reason);
