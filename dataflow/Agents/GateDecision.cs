using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>The §6.1 gate's checks, as flags of the ones a signal failed.</summary>
[Flags]
public enum GateCheck
{
    /// <summary>Every check passed.</summary>
    None = 0,

    /// <summary>μ, σ and P(edge) are finite and in range.</summary>
    WellFormed = 1,

    /// <summary>The signal is the lane's policy's own.</summary>
    Policy = 2,

    /// <summary>The horizon is one the policy trades.</summary>
    Horizon = 4,

    /// <summary>The regime allows new risk.</summary>
    Regime = 8,

    /// <summary>P(edge) in the trade's direction beats the threshold with μ agreeing.</summary>
    Edge = 16,

    /// <summary>σ is within the policy's maximum.</summary>
    Sigma = 32,
}

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
    /// <summary>The checks that failed (none when it passed).</summary>
    public GateCheck Failed { get; init; }

    /// <summary>True when every check passed.</summary>
    public bool Passed => Direction is not null;
}
