using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Models;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>How a lane is built.</summary>
/// <param name="Shape">Ticks or bars.</param>
/// <param name="Clock">Simulated for replays, wall clock for paper and live.</param>
public sealed record LaneOptions(MarketShape Shape, IClock Clock)
{
    /// <summary>Messages each block may hold in its input queue (backpressure beyond it).</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>Portfolio name on orders and PnL.</summary>
    public string Portfolio { get; init; } = "lane";

    /// <summary>Clean-align limits; <see cref="CleanAlignSettings.Replay"/> for history.</summary>
    public CleanAlignSettings CleanAlign { get; init; } = CleanAlignSettings.Default;

    /// <summary>The signal model; null builds the policy's strategy.</summary>
    public ISignalModel? Model { get; init; }

    /// <summary>
    /// What stands behind the execution port, built for the lane's instrument ids: a replay venue for backtests, the
    /// simulated exchange, a FIX venue, behind the policy's execution algorithm. Every lane needs one.
    /// </summary>
    public Func<IInstrumentNames, IExecutionClient>? Execution { get; init; }

    /// <summary>Sectors, issuers and stress scenarios for the pre-trade limits (needed when the policy sets <c>risk.sector_limit</c>, <c>risk.issuer_limit</c> or <c>risk.stress_limit</c>).</summary>
    public Contracts.Risk.PreTradeReference? Reference { get; init; }

    /// <summary>Telemetry; null creates one for the lane.</summary>
    public LaneTelemetry? Telemetry { get; init; }
}
