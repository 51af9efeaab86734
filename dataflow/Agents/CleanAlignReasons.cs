namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>Why the clean-align agent held an event back.</summary>
public static class CleanAlignReasons
{
    /// <summary>Same (ts, seq) as an event already passed for the symbol.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Earlier (ts, seq) than the last event passed for the symbol.</summary>
    public const string OutOfOrder = "out_of_order";

    /// <summary>Older than the clock by more than the staleness limit.</summary>
    public const string Stale = "stale";

    /// <summary>Newer than the clock by more than the skew limit.</summary>
    public const string FromTheFuture = "from_the_future";

    /// <summary>A value that cannot be real: a trade or bar without a positive finite price or size, a crossed or non-positive quote.</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>The agent that held the batch failed; the rows are kept here so nothing is lost.</summary>
    public const string AgentFault = "agent_fault";
}
