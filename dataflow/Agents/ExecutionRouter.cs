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
    private readonly bool _uncertaintyAware = shape == MarketShape.Ticks && (policy.Execution.PassiveBelowZ is not null || policy.Execution.AggressiveAboveZ is not null);
    private long _sequence;

    // The latest forecast certainty |μ|/σ per instrument id (NaN before one), read from the gate's decisions as the
    // router reaches them: what §9.3's uncertainty-aware execution chooses passive or aggressive by.
    private double[] _z = [];
    private int _decisions;

    /// <summary>Starts a message: marks advance through its rows as decisions come.</summary>
    public void Begin(LaneMessage message)
    {
        _marks.Begin(message.Features);
        _decisions = 0;
    }

    /// <summary>How an order for instrument <paramref name="id"/> meets the book, from its latest forecast's |μ|/σ and the policy's thresholds (only when <see cref="_uncertaintyAware"/>).</summary>
    private ExecutionStyle StyleOf(int id, out string? note)
    {
        note = null;
        var execution = policy.Execution;
        var z = id < _z.Length ? _z[id] : double.NaN;
        if (double.IsNaN(z)) return ExecutionStyle.Policy;
        if (execution.AggressiveAboveZ is { } aggressive && z >= aggressive)
        {
            note = string.Create(CultureInfo.InvariantCulture, $"execution: forecast |μ|/σ {z:G6} ≥ aggressive_above_z {aggressive:0.###}: crosses now");
            return ExecutionStyle.Aggressive;
        }
        if (execution.PassiveBelowZ is { } passive && z < passive)
        {
            note = string.Create(CultureInfo.InvariantCulture, $"execution: forecast |μ|/σ {z:G6} < passive_below_z {passive:0.###}: passive at the near touch");
            return ExecutionStyle.Passive;
        }
        note = string.Create(CultureInfo.InvariantCulture, $"execution: forecast |μ|/σ {z:G6} between the thresholds: as {execution.Algo} decides");
        return ExecutionStyle.Policy;
    }

    private void ReadDecisions(LaneMessage message, int at)
    {
        var decisions = message.Decisions;
        for (; _decisions < decisions.Count && decisions[_decisions].At <= at; _decisions++)
        {
            var (_, id, decision, _) = decisions[_decisions];
            var signal = decision.Signal;
            if (id >= _z.Length)
            {
                var old = _z.Length;
                Array.Resize(ref _z, Math.Max(id + 1, old * 2));
                _z.AsSpan(old).Fill(double.NaN);
            }
            _z[id] = signal.Sigma > 0 ? Math.Abs(signal.Mu) / signal.Sigma : double.NaN;
        }
    }

    /// <summary>
    /// Turns one approved target set into orders, sized against the account as it stands at the decision: shares held
    /// plus working orders, and the account's equity (fees, costs and fills included).
    /// </summary>
    public void Route(LaneMessage message, TargetSet set, PnlAgent account)
    {
        _marks.AdvanceTo(set.At);
        if (_uncertaintyAware) ReadDecisions(message, set.At);
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
        string? styleNote = null;
        var style = urgent || !_uncertaintyAware ? ExecutionStyle.Policy : StyleOf(id, out styleNote);
        // A passive IMMEDIATE order rests at the near touch for the day; every other tick order is a marketable limit.
        var near = style == ExecutionStyle.Passive && policy.Execution.IsImmediate ? NearTouch(id, side) : null;
        var resting = near is not null;
        var limit = shape == MarketShape.Bars || !(decisionPrice > 0) ? (double?)null : near ?? LimitThrough(id, side, decisionPrice);
        var tif = limit is null || resting ? TimeInForce.Day : TimeInForce.Ioc;
        var why = Describe(held, target, weight, equity, mark);
        var order = new Order(NextId(), "", instruments.Name(id), set.Ts + _latency, side, limit is null ? OrderType.Market : OrderType.Limit,
            tif, Math.Abs(delta), limit, null, portfolio, venue, policy.Id,
            styleNote is null ? [.. reasons, why] : [.. reasons, styleNote, why]);
        message.Orders.Add(new OrderIntent(order, id, decisionPrice, arrival) { At = set.At, Urgent = urgent, Style = style });
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

    /// <summary>The near touch (the bid for a buy, the ask for a sell), or null without a quote.</summary>
    private double? NearTouch(int id, Side side)
    {
        var touch = side == Side.Buy ? _marks.Bid(id) : _marks.Ask(id);
        return double.IsFinite(touch) && touch > 0 ? touch : null;
    }

    private string NextId() => string.Create(CultureInfo.InvariantCulture, $"{policy.Id}-{++_sequence:D9}");

    private static string Describe(double held, double target, double weight, double equity, double mark) => string.Create(CultureInfo.InvariantCulture,
        $"router: {held:0} → {target:0} shares (weight {weight:0.####} of equity {equity:0.##} at mark {mark:0.####})");
}
