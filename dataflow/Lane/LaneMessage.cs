using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// What moves between the lane's blocks: one market batch (or one operator command) and what each agent made of it.
/// Each agent fills its own part and reads the parts of the agents before it; a message is held by one block at a time.
/// </summary>
public sealed class LaneMessage
{
    /// <summary>A market data message.</summary>
    public LaneMessage(MarketBatch market) => Market = market;

    /// <summary>A command message.</summary>
    public LaneMessage(LaneCommand command) => Command = command;

    private LaneMessage()
    {
    }

    /// <summary>The message that closes a feed: the PnL agent reports the final book on it.</summary>
    public static LaneMessage End() => new() { EndOfFeed = true };

    /// <summary>A message that carries execution events from a live venue through the lane when no market data comes.</summary>
    public static LaneMessage Wake() => new();

    /// <summary>The market batch; null for a command.</summary>
    public MarketBatch? Market { get; }

    /// <summary>The command; null for market data.</summary>
    public LaneCommand? Command { get; }

    /// <summary>Clean-align: instrument id per batch row, −1 where the row was held back.</summary>
    public int[] Ids { get; set; } = [];

    /// <summary>Rows held back, with reasons (clean-align, or every unaccounted row when an agent failed).</summary>
    public List<QuarantinedEvent> Quarantined { get; } = [];

    /// <summary>The first row that failed an integrity check, if any.</summary>
    public QuarantinedEvent? IntegrityFailure { get; set; }

    /// <summary>The agent that failed on this message, if one did.</summary>
    public string? FaultedAgent { get; set; }

    /// <summary>Feature factory output.</summary>
    public FeatureRows? Features { get; set; }

    /// <summary>Signal agent output.</summary>
    public List<LaneSignal> Signals { get; } = [];

    /// <summary>Regime agent output: risk state changes in event order.</summary>
    public List<RiskState> RiskStates { get; } = [];

    /// <summary>Gate output: every signal's verdict, with its insertion point and instrument.</summary>
    public List<(int At, int Id, GateDecision Decision, bool Rebalance)> Decisions { get; } = [];

    /// <summary>Portfolio construction output, then rewritten by the overlays and compliance.</summary>
    public List<TargetSet> Targets { get; set; } = [];

    /// <summary>Orders the router sent.</summary>
    public List<OrderIntent> Orders { get; } = [];

    /// <summary>Children an algorithm sent for the lane's orders (behind the execution port).</summary>
    public List<Order> Children { get; } = [];

    /// <summary>Venue reports the order manager accepted, in event order.</summary>
    public List<ExecutionReport> Reports { get; } = [];

    /// <summary>Cost components of the venue's fills.</summary>
    public List<FillCost> FillCosts { get; } = [];

    /// <summary>PnL snapshots (session ends and the end of the run).</summary>
    public List<PnlSnapshot> Pnl { get; } = [];

    /// <summary>Risk events any agent raised.</summary>
    public List<RiskEvent> RiskEvents { get; } = [];

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the message entered the lane (tick-to-order latency starts here).</summary>
    public long Arrival { get; set; }

    /// <summary>Rows in the market batch (0 for a command).</summary>
    public int EventCount => Market?.Batch.Length ?? 0;

    /// <summary>Event time of the first row (or of the command).</summary>
    public long FirstTs { get; set; }

    /// <summary>Event time of the last row (or of the command).</summary>
    public long LastTs { get; set; }

    /// <summary>True for the message that closes the feed (the PnL agent then reports the final book).</summary>
    public bool EndOfFeed { get; init; }
}
