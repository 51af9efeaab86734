using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// An execution algorithm: a schedule (how much should be done by when) plus the shared child-order logic (lot
/// rounding, throttle, participation cap, child size cap, anti-gaming jitter, passive-versus-crossing pricing, parent
/// limit). Deterministic for a given seed, and clock-agnostic: the same code runs in backtests and live.
/// </summary>
public abstract class ExecutionAlgorithm
{
    private readonly Random _random;
    private long _lastChildTs = long.MinValue;
    private long _nextDecisionTs;

    /// <summary>Creates the algorithm.</summary>
    /// <exception cref="ArgumentException">The parent or the limits are invalid.</exception>
    protected ExecutionAlgorithm(ParentOrder parent, AlgoLimits limits, int seed)
    {
        parent.Validate();
        limits.Validate();
        Parent = parent;
        Limits = limits;
        _random = new Random(seed);
        _nextDecisionTs = parent.StartNs;
    }

    /// <summary>The parent order.</summary>
    public ParentOrder Parent { get; }

    /// <summary>The limits in force.</summary>
    public AlgoLimits Limits { get; }

    /// <summary>Before this time <see cref="Decide"/> sends nothing whatever the market does (the throttle after a child, or the start).</summary>
    public long QuietUntil => _lastChildTs == long.MinValue ? _nextDecisionTs : Math.Max(_nextDecisionTs, _lastChildTs + Limits.MinInterval);

    /// <summary>Cumulative units the schedule wants filled by <paramref name="ts"/> (0…quantity, non-decreasing).</summary>
    public abstract long TargetFilled(long ts, in MarketSnapshot market);

    /// <summary>The most the algorithm may have filled plus working now (the participation cap), or the whole quantity.</summary>
    public long Allowance(in MarketSnapshot market) =>
        Limits.MaxParticipation > 0 ? Math.Min(Parent.Quantity, (long)Math.Floor(Limits.MaxParticipation * market.MarketVolume)) : Parent.Quantity;

    /// <summary>Child orders to send now (empty when on schedule, throttled or outside the window).</summary>
    public IReadOnlyList<ChildOrder> Decide(in MarketSnapshot market, in ExecutionProgress progress)
    {
        if (market.Ts < Parent.StartNs || market.Ts < _nextDecisionTs) return [];
        if (_lastChildTs != long.MinValue && market.Ts - _lastChildTs < Limits.MinInterval) return [];
        var done = progress.Filled + progress.Working;
        var target = Math.Min(Parent.Quantity, TargetFilled(market.Ts, market));
        if (market.Ts >= Parent.EndNs) target = Parent.Quantity;
        var need = Math.Min(target, Allowance(market)) - done;
        if (Limits.MaxChildQuantity > 0) need = Math.Min(need, Limits.MaxChildQuantity);
        need = CapChild(need, market);
        if (Limits.Jitter > 0 && need > Limits.LotSize) need = (long)(need * (1 - Limits.Jitter * _random.NextDouble()));
        need = need / Limits.LotSize * Limits.LotSize;
        if (need <= 0) return [];

        _lastChildTs = market.Ts;
        if (Limits.Jitter > 0 && Limits.MinInterval > 0)
            _nextDecisionTs = market.Ts + Limits.MinInterval + (long)(Limits.Jitter * Limits.MinInterval * _random.NextDouble());
        // Behind schedule = what should already have filled by just before now and has not: then cross the spread.
        var lookback = market.Ts - Math.Max(Limits.MinInterval, 1);
        var due = lookback <= Parent.StartNs ? 0 : Math.Min(Parent.Quantity, TargetFilled(lookback, market));
        var cross = (!Limits.PassiveOnly && due - progress.Filled >= Limits.CatchUpLots * Limits.LotSize) || market.Ts >= Parent.EndNs;
        return [Price(need, market, cross)];
    }

    // Join the near touch when on schedule; cross the spread (IOC) when behind (unless passive only) or at the end; never beyond the parent's limit.
    private ChildOrder Price(long quantity, in MarketSnapshot market, bool cross)
    {
        var buy = Parent.Side == Side.Buy;
        var price = cross ? (buy ? market.Ask : market.Bid) : PassivePrice(market);
        if (Parent.LimitPrice is { } limit) price = buy ? Math.Min(price, limit) : Math.Max(price, limit);
        return new ChildOrder(quantity, OrderType.Limit, price, cross ? TimeInForce.Ioc : TimeInForce.Day, cross ? "catch-up" : "schedule");
    }

    /// <summary>Caps a child's size by what the market shows (liquidity seeking); the default leaves it.</summary>
    protected virtual long CapChild(long need, in MarketSnapshot market) => need;

    /// <summary>Price of a passive child; the default joins the near touch.</summary>
    protected virtual double PassivePrice(in MarketSnapshot market) => Parent.Side == Side.Buy ? market.Bid : market.Ask;

    /// <summary>Fraction of the window elapsed at ts, in [0, 1].</summary>
    protected double Elapsed(long ts) => Math.Clamp((double)(ts - Parent.StartNs) / (Parent.EndNs - Parent.StartNs), 0, 1);
}
