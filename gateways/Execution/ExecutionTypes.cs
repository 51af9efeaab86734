using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>A parent order for an execution algorithm to work between two times.</summary>
/// <param name="Id">Parent id (children are tagged with it).</param>
/// <param name="Instrument">Symbol.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Quantity">Units to execute (positive).</param>
/// <param name="StartNs">When work may begin.</param>
/// <param name="EndNs">When it must be done.</param>
/// <param name="LimitPrice">Worst acceptable price (null: none).</param>
public sealed record ParentOrder(string Id, string Instrument, Side Side, long Quantity, long StartNs, long EndNs, double? LimitPrice = null)
{
    /// <summary>Checks the order.</summary>
    /// <exception cref="ArgumentException">Quantity not positive or the window empty.</exception>
    public void Validate()
    {
        if (Quantity <= 0) throw new ArgumentException($"parent {Id}: quantity must be positive, got {Quantity}");
        if (EndNs <= StartNs) throw new ArgumentException($"parent {Id}: the end time must be after the start time");
        if (LimitPrice is { } limit && !(limit > 0)) throw new ArgumentException($"parent {Id}: the limit price must be positive");
    }
}

/// <summary>What an algorithm sees when it decides.</summary>
/// <param name="Ts">Now, ns.</param>
/// <param name="Bid">Best bid.</param>
/// <param name="Ask">Best ask.</param>
/// <param name="BidSize">Displayed size at the bid.</param>
/// <param name="AskSize">Displayed size at the ask.</param>
/// <param name="MarketVolume">Market volume traded since the parent's start (all participants, ours included).</param>
public readonly record struct MarketSnapshot(long Ts, double Bid, double Ask, double BidSize, double AskSize, long MarketVolume)
{
    /// <summary>(bid + ask) / 2.</summary>
    public double Mid => 0.5 * (Bid + Ask);
}

/// <summary>How far the parent has got: filled, and sent but still working.</summary>
/// <param name="Filled">Units filled.</param>
/// <param name="Working">Units in open child orders.</param>
public readonly record struct ExecutionProgress(long Filled, long Working);

/// <summary>A child order to send now.</summary>
/// <param name="Quantity">Units.</param>
/// <param name="Type">Limit or market.</param>
/// <param name="LimitPrice">Limit price (null for market).</param>
/// <param name="TimeInForce">Usually Day (passive) or IOC (taking).</param>
/// <param name="Reason">Why: "schedule", "catch-up", "opportunistic", … for the audit trail.</param>
public sealed record ChildOrder(long Quantity, OrderType Type, double? LimitPrice, TimeInForce TimeInForce, string Reason);

/// <summary>Limits every algorithm honours.</summary>
/// <param name="LotSize">Child quantities are multiples of this.</param>
/// <param name="MinInterval">Smallest time between two child orders (throttle), ns.</param>
/// <param name="MaxChildQuantity">Largest child (0: no cap).</param>
/// <param name="MaxParticipation">Cap on (filled + working) / market volume since start (0: no cap).</param>
/// <param name="Jitter">Anti-gaming: child sizes vary by up to ± this fraction, decision times by up to this fraction of the interval.</param>
/// <param name="CatchUpLots">Behind schedule by more than this many lots: cross the spread instead of joining the touch.</param>
public sealed record AlgoLimits(long LotSize = 1, long MinInterval = 1_000_000_000, long MaxChildQuantity = 0, double MaxParticipation = 0, double Jitter = 0, long CatchUpLots = 5)
{
    /// <summary>Never cross to catch up before the parent's end (the instruction's <c>PassiveOnly</c>).</summary>
    public bool PassiveOnly { get; init; }

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentException">A limit is out of range.</exception>
    public void Validate()
    {
        if (LotSize <= 0) throw new ArgumentException("the lot size must be positive");
        if (MinInterval < 0 || MaxChildQuantity < 0 || CatchUpLots < 0) throw new ArgumentException("intervals and sizes must not be negative");
        if (MaxParticipation is < 0 or > 1) throw new ArgumentException($"the participation cap must be in [0, 1], got {MaxParticipation}");
        if (Jitter is < 0 or >= 0.5) throw new ArgumentException($"jitter must be in [0, 0.5), got {Jitter}");
    }
}
