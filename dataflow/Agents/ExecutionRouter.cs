using System.Diagnostics;
using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The execution router: turns approved target weights into orders for the venue. Shares = weight · account equity /
/// mark, whole shares; the order is the difference from the account's shares and working orders, unless it is smaller than the
/// no-trade band (a rebalance that closes a position always trades). Bars trade at the next open (market orders);
/// ticks send marketable limit orders, immediate-or-cancel, priced through the touch by the policy's limit offset.
/// Order ids count from 1 per policy, the time is the decision's event time plus the modelled latency, and every order
/// carries the policy id and the reasons of each gate it passed, so replays give byte-identical orders.
/// </summary>
public sealed class ExecutionRouter(TradingPolicy policy, InstrumentIds instruments, string portfolio, string venue, MarketShape shape, LaneTelemetry telemetry)
{
    /// <summary>Smallest trade, as a fraction of equity, below which a target change is not worth an order (the policy's <c>execution.no_trade_band</c>).</summary>
    public double NoTradeBand { get; } = policy.Execution.NoTradeBand;

    private readonly MarkBook _marks = new();
    private readonly long _latency = (long)(policy.CostsOrDefault.LatencyMillis * 1_000_000);
    private long _sequence;

    /// <summary>Starts a message: marks advance through its rows as decisions come.</summary>
    public void Begin(LaneMessage message) => _marks.Begin(message.Features);

    /// <summary>
    /// Turns one approved target set into orders, sized against the account as it stands at the decision: shares held
    /// plus working orders, and the account's equity (fees, costs and fills included).
    /// </summary>
    public void Route(LaneMessage message, TargetSet set, PnlAgent account)
    {
        _marks.AdvanceTo(set.At);
        var arrival = message.Arrival != 0 ? message.Arrival : Stopwatch.GetTimestamp();
        var equity = account.Equity;
        if (set.Flatten is { } reason)
        {
            // A flatten closes what is held (its working orders are being cancelled), in every instrument that holds any.
            foreach (var id in set.Weights.Keys.Union(account.Holding).Order().ToList())
                RouteOne(message, set, id, 0, account.Held(id), equity, arrival, set.Reasons.TryGetValue(id, out var why) ? why : [$"overlay: {reason} → 0"], urgent: true);
            return;
        }
        Dictionary<int, double>? lots = null;
        string? note = null;
        if (Lots.Active && equity > 0)
        {
            var targets = new List<(int, double, double)>(set.Weights.Count);
            foreach (var (id, weight) in set.Weights) targets.Add((id, weight, _marks.Mark(id)));
            (lots, note) = Lots.Round(targets, equity);
        }
        foreach (var (id, weight) in set.Weights)
        {
            var reasons = set.Reasons.TryGetValue(id, out var list) ? list : [];
            if (note is not null) reasons = [.. reasons, note];
            RouteOne(message, set, id, weight, account.Exposure(id), equity, arrival, reasons, urgent: false, lots is not null && lots.TryGetValue(id, out var shares) ? shares : null);
        }
    }

    /// <summary>Lot sizing by the policy's <c>portfolio.lot_size</c>.</summary>
    public LotSizing Lots { get; } = new(policy.PortfolioOrDefault);

    private void RouteOne(LaneMessage message, TargetSet set, int id, double weight, double held, double equity, long arrival, List<string> reasons, bool urgent, double? rounded = null)
    {
        var mark = _marks.Mark(id);
        // A ruined account only closes positions.
        var target = weight == 0 || !(equity > 0) ? 0 : rounded ?? (mark > 0 ? Math.Truncate(weight * equity / mark) : held);
        var delta = target - held;
        if (delta == 0) return;
        if (target != 0 && Math.Abs(delta * mark) < NoTradeBand * equity) return;
        var side = delta > 0 ? Side.Buy : Side.Sell;
        var decisionPrice = double.IsFinite(mark) ? mark : 0;
        var limit = shape == MarketShape.Bars || !(decisionPrice > 0) ? (double?)null : LimitThrough(id, side, decisionPrice);
        var order = new Order(NextId(), "", instruments.Name(id), set.Ts + _latency, side, limit is null ? OrderType.Market : OrderType.Limit,
            limit is null ? TimeInForce.Day : TimeInForce.Ioc, Math.Abs(delta), limit, null, portfolio, venue, policy.Id,
            [.. reasons, Describe(held, target, weight, equity, mark)]);
        message.Orders.Add(new OrderIntent(order, id, decisionPrice, arrival) { At = set.At, Urgent = urgent });
        telemetry.OrderSent(order, arrival);
    }

    /// <summary>Ends a message.</summary>
    public void Finish() => _marks.Finish();

    /// <summary>A marketable limit: the far touch (the mark when there is none) moved through by the policy's offset, on the cent grid.</summary>
    private double LimitThrough(int id, Side side, double mark)
    {
        var touch = side == Side.Buy ? _marks.Ask(id) : _marks.Bid(id);
        var reference = double.IsFinite(touch) ? touch : mark;
        var offset = policy.Execution.LimitOffsetBps / 1e4;
        return Math.Round(side == Side.Buy ? reference * (1 + offset) : reference * (1 - offset), 2, MidpointRounding.ToEven);
    }

    private string NextId() => string.Create(CultureInfo.InvariantCulture, $"{policy.Id}-{++_sequence:D9}");

    private static string Describe(double held, double target, double weight, double equity, double mark) => string.Create(CultureInfo.InvariantCulture,
        $"router: {held:0} → {target:0} shares (weight {weight:0.####} of equity {equity:0.##} at mark {mark:0.####})");
}
