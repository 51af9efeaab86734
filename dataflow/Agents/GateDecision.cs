using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>Which way a gated signal trades.</summary>
public enum TradeDirection
{
    /// <summary>Expected return and probability both favour buying.</summary>
    Long,

    /// <summary>Expected return and probability both favour selling.</summary>
    Short,
}

/// <summary>
/// The signal gate's verdict: the direction when it passed, and one line per check, passed or failed, so every order
/// can carry the reasons for each gate it went through into the audit log.
/// </summary>
/// <param name="Signal">The forecast judged.</param>
/// <param name="Direction">The direction to trade; null when the signal was held back.</param>
/// <param name="Checks">Each check's outcome, in evaluation order.</param>
public sealed record GateDecision(Signal Signal, TradeDirection? Direction, IReadOnlyList<string> Checks)
{
    /// <summary>True when every check passed.</summary>
    public bool Passed => Direction is not null;
}
