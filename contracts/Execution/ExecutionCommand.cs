using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>
/// What the lane sends through the execution port (NautilusTrader's trading commands): submit, cancel, replace. Each
/// names its order by client order id (FIX ClOrdID); a child of an algorithm's parent carries the parent's id.
/// </summary>
/// <param name="Ts">Event time the command was decided, ns UTC (replay venues act on it at this time plus their latency).</param>
public abstract record ExecutionCommand(long Ts);

/// <summary>Submit an order.</summary>
/// <param name="Order">The order; its OrderId is the ClOrdID, its ParentOrderId the parent's when it is a child.</param>
/// <param name="Instrument">The lane's instrument id (lets in-process venues index without a symbol lookup; −1 when unknown).</param>
/// <param name="Instruction">How to execute it (an algorithm works a parent in children); null: send as it is.</param>
public sealed record SubmitOrder(Order Order, int Instrument, ExecutionInstruction? Instruction = null) : ExecutionCommand(Order.Ts)
{
    /// <summary>When the market data that triggered the order reached the lane (Stopwatch timestamp; 0: unknown), for tick-to-wire latency.</summary>
    public long Arrival { get; init; }

    /// <summary>The price the decision was taken at (the paper portfolio's), for transaction-cost analysis; 0: unknown.</summary>
    public double DecisionPrice { get; init; }
}

/// <summary>Cancel an order (FIX OrderCancelRequest).</summary>
/// <param name="ClOrdId">The request's own id.</param>
/// <param name="OrigClOrdId">The order to cancel.</param>
/// <param name="Instrument">Symbol.</param>
/// <param name="Side">The order's side.</param>
/// <param name="Quantity">The order's quantity.</param>
/// <param name="Ts">Decision time.</param>
/// <param name="Reason">Why (stand-down, kill switch, replace by the algorithm, …), for the audit trail.</param>
public sealed record CancelOrder(string ClOrdId, string OrigClOrdId, string Instrument, Side Side, double Quantity, long Ts, string Reason) : ExecutionCommand(Ts);

/// <summary>Replace an order's quantity and/or limit price (FIX OrderCancelReplaceRequest).</summary>
/// <param name="ClOrdId">The request's own id (the order's id afterwards).</param>
/// <param name="OrigClOrdId">The order to replace.</param>
/// <param name="Instrument">Symbol.</param>
/// <param name="Side">The order's side.</param>
/// <param name="Quantity">New total quantity.</param>
/// <param name="LimitPrice">New limit price (null: unchanged or market).</param>
/// <param name="Ts">Decision time.</param>
public sealed record ReplaceOrder(string ClOrdId, string OrigClOrdId, string Instrument, Side Side, double Quantity, double? LimitPrice, long Ts) : ExecutionCommand(Ts);

/// <summary>How a parent order is to be worked: the signed policy's execution section, applied to one order.</summary>
/// <param name="Algo">immediate, TWAP, VWAP, POV, IS, LIQUIDITY_SEEKING or LADDER.</param>
/// <param name="ParticipationCap">Largest share of market volume the parent's fills and working children may reach (0: none).</param>
/// <param name="LimitOffsetBps">How far through the touch a crossing child may be priced, in basis points.</param>
/// <param name="EndNs">When the parent must be done, ns UTC.</param>
public sealed record ExecutionInstruction(string Algo, double ParticipationCap, double LimitOffsetBps, long EndNs)
{
    /// <summary>Work the parent passively: children join the near touch and never cross to catch up before <see cref="EndNs"/> (a forecast too uncertain to pay the spread for).</summary>
    public bool PassiveOnly { get; init; }
}
