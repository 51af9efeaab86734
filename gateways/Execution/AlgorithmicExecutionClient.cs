using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// The execution algorithms in front of a venue, behind the execution port: an order that comes with an
/// <see cref="ExecutionInstruction"/> becomes a parent worked by the policy's algorithm (TWAP, VWAP, POV, IS,
/// liquidity seeking, ladder) in children sent to the venue; an IMMEDIATE order goes to the venue as it is. Every order
/// leaving for the venue passes the pre-trade limits first. The lane sees its parent like a venue order — accepted,
/// filled in parts, done — while the children's own reports come back for the order manager and the audit trail. The
/// algorithms read the market from the rows the lane hands over (touch, traded volume, volatility, an intraday volume
/// profile learned from earlier sessions), so the same code works a parent in a replay and live.
/// </summary>
public sealed class AlgorithmicExecutionClient : IExecutionClient, IMarketObserver, IExecutionEvents, IAsyncDisposable
{
    private readonly IExecutionClient _venue;
    private readonly IMarketObserver? _venueMarket;
    private readonly TradingPolicy _policy;
    private readonly IInstrumentNames _names;
    private readonly PreTradeLimits _limits;
    private MarketState?[] _markets = [];
    private List<Parent>?[] _parentsByInstrument = [];
    private long _nextStop = long.MaxValue;
    private bool _bars;
    private readonly bool _immediate;
    private readonly Dictionary<string, Parent> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Parent> _parentOfChild = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentFillOf = new(StringComparer.Ordinal);
    private IExecutionEvents? _events;
    private int _seed;

    /// <summary>Puts the policy's algorithm and pre-trade limits in front of <paramref name="venue"/>.</summary>
    public AlgorithmicExecutionClient(IExecutionClient venue, TradingPolicy policy, IInstrumentNames names)
    {
        _venue = venue;
        _venueMarket = venue as IMarketObserver;
        _policy = policy;
        _names = names;
        _immediate = policy.Execution.IsImmediate;
        var execution = policy.Execution;
        var costs = policy.CostsOrDefault;
        _limits = new PreTradeLimits(
            execution.MaxOrderQuantity > 0 ? execution.MaxOrderQuantity : double.MaxValue,
            execution.MaxOrderNotional > 0 ? execution.MaxOrderNotional : 2 * policy.Risk.GrossLimit * costs.InitialEquity,
            execution.PriceBand,
            1.0);
    }

    /// <inheritdoc />
    public string Venue => _venue.Venue;

    /// <inheritdoc />
    public bool IsLive => _venue.IsLive;

    /// <summary>The venue the children go to.</summary>
    public IExecutionClient Inner => _venue;

    /// <summary>Releases the venue's connections, if it holds any.</summary>
    public ValueTask DisposeAsync() => _venue is IAsyncDisposable venue ? venue.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>The algorithm working a parent (null once it is done or if it was never worked).</summary>
    public ExecutionAlgorithm? Algorithm(string parentId) => _parents.TryGetValue(parentId, out var parent) ? parent.Algorithm : null;

    /// <summary>Parents being worked.</summary>
    public int WorkingParents => _parents.Count;

    /// <inheritdoc />
    public void Start(IExecutionEvents events)
    {
        _events = events;
        _venue.Start(LaneThreadEvents.For(_venue, this, () => Upstream));
    }

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        switch (command)
        {
            case SubmitOrder { Instruction: null } or SubmitOrder { Instruction.Algo: ExecutionSettings.Immediate }:
                var submit = (SubmitOrder)command;
                if (Refused(submit.Order, submit.Instrument) is { } breaches) Reject(submit.Order, breaches);
                else _venue.Send(submit);
                break;
            case SubmitOrder parent:
                Accept(parent);
                break;
            case CancelOrder cancel when _parents.TryGetValue(cancel.OrigClOrdId, out var worked):
                Stop(worked, cancel.Ts, cancel.Reason);
                break;
            case ReplaceOrder replace when _parents.ContainsKey(replace.OrigClOrdId):
                Upstream.OnCancelRejected(new OrderCancelRejected(replace.ClOrdId, replace.OrigClOrdId, replace.OrigClOrdId, OrderStatus.New, 2, 2,
                    "an algorithm's parent is not replaced: cancel it and send a new one"));
                break;
            default:
                _venue.Send(command);
                break;
        }
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts)
    {
        _venue.AdvanceTo(ts);
        if (ts < _nextStop) return;
        // A parent whose window ended is done: what its children did not fill is cancelled.
        foreach (var parent in _parents.Values.Where(p => !p.Stopping && ts >= p.StopAt).ToList()) Stop(parent, ts, "the algorithm's window ended");
        NextStop();
    }

    // The earliest time a working parent's window (plus its grace) ends, so rows before it cost one comparison.
    private void NextStop()
    {
        _nextStop = long.MaxValue;
        foreach (var parent in _parents.Values)
            if (!parent.Stopping) _nextStop = Math.Min(_nextStop, parent.StopAt);
    }

    /// <inheritdoc />
    public void Close(long ts)
    {
        foreach (var parent in _parents.Values.ToList()) Stop(parent, ts, "the feed ended");
        _venue.Close(ts);
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize)
    {
        var market = Market(instrument);
        // With no algorithm to feed, the pre-trade check needs only the touch.
        if (_immediate) market.Touch(bid, bidSize, ask, askSize);
        else if (kind == TickKind.Trade) market.Trade(ts, size, price);
        else market.Quote(ts, bid, bidSize, ask, askSize);
        _venueMarket?.OnTick(instrument, ts, kind, price, size, bid, bidSize, ask, askSize);
        if (!_immediate) Decide(instrument, ts);
    }

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume)
    {
        // On bars a decision prices against the bar's close and participates in its volume; the children fill at the next open.
        _bars = true;
        var market = Market(instrument);
        if (_immediate) market.Touch(close, double.NaN, close, double.NaN);
        else
        {
            market.Quote(ts, close, double.NaN, close, double.NaN);
            market.Trade(ts, double.IsFinite(volume) ? volume : 0, close);
        }
        _venueMarket?.OnBar(instrument, ts, open, high, low, close, adjustedClose, volume);
        if (!_immediate) Decide(instrument, ts);
    }

    // Reports from the venue: children update their parent and are passed on; the lane's own orders pass through.
    void IExecutionEvents.OnReport(ExecutionReport report)
    {
        if (!_parentOfChild.TryGetValue(report.OrderId, out var parent))
        {
            Upstream.OnReport(report);
            return;
        }
        Upstream.OnReport(report);
        if (report.IsFill)
        {
            parent.Filled += (long)Math.Round(report.LastQty);
            parent.Notional += report.LastQty * report.LastPrice;
            parent.Fills.Add(report);
            var cum = parent.Filled;
            var order = parent.Order;
            var complete = cum >= parent.Algorithm.Parent.Quantity;
            var fill = new ExecutionReport($"{report.ExecId}/{order.OrderId}", order.OrderId, order.Instrument, report.Ts, ExecType.Trade,
                complete ? OrderStatus.Filled : OrderStatus.PartiallyFilled, order.Side,
                report.LastQty, report.LastPrice, cum, Math.Max(0, order.Quantity - cum), parent.Notional / cum, report.Fee, report.Venue, report.Liquidity,
                $"child {report.OrderId} of {order.OrderId}{(complete ? "; " + Tca(parent) : "")}");
            _parentFillOf[report.ExecId] = fill.ExecId;
            Upstream.OnReport(fill);
        }
        if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired)
        {
            if (parent.Working.Remove(report.OrderId, out var leaves)) parent.WorkingUnits -= leaves;
            _parentOfChild.Remove(report.OrderId);
        }
        else if (report.IsFill && parent.Working.TryGetValue(report.OrderId, out var open))
        {
            var left = Math.Max(0, open - (long)Math.Round(report.LastQty));
            parent.Working[report.OrderId] = left;
            parent.WorkingUnits -= open - left;
        }
        if (parent.Filled >= parent.Algorithm.Parent.Quantity) Done(parent);
        else if (parent.Stopping && parent.Working.Count == 0) Finish(parent, report.Ts, parent.StopReason);
    }

    void IExecutionEvents.OnCancelRejected(OrderCancelRejected reject) => Upstream.OnCancelRejected(reject);

    // A child fill's modelled costs belong to the parent's fill that mirrors it.
    void IExecutionEvents.OnFillCost(FillCost cost) =>
        Upstream.OnFillCost(_parentFillOf.Remove(cost.ExecId, out var parentFill) ? cost with { ExecId = parentFill } : cost);

    void IExecutionEvents.OnChildOrder(Order child) => Upstream.OnChildOrder(child);

    void IExecutionEvents.OnConnection(bool connected, string reason) => Upstream.OnConnection(connected, reason);

    void IExecutionEvents.Post(Action work) => Upstream.Post(work);

    private IExecutionEvents Upstream => _events ?? throw new InvalidOperationException("the algorithmic execution client was not started");

    private MarketState Market(int instrument)
    {
        if ((uint)instrument >= (uint)_markets.Length) System.Array.Resize(ref _markets, Math.Max(instrument + 1, _markets.Length * 2));
        return _markets[instrument] ??= new MarketState(intraday: !_bars);
    }

    private void Accept(SubmitOrder submit)
    {
        var order = submit.Order;
        var instruction = submit.Instruction!;
        var quantity = (long)Math.Round(order.Quantity);
        var market = Market(submit.Instrument);
        if (quantity <= 0 || instruction.EndNs <= order.Ts)
        {
            Reject(order, [$"an algorithm's parent needs a positive whole quantity and a window after {order.Ts} (got {order.Quantity}, end {instruction.EndNs})"]);
            return;
        }
        var parent = new ParentOrder(order.OrderId, order.Instrument, order.Side, quantity, order.Ts, instruction.EndNs, order.LimitPrice);
        ExecutionAlgorithm algorithm;
        try
        {
            algorithm = ExecutionAlgorithms.Create(instruction, parent, _policy, market, unchecked(_seed++ * 7919 + 17));
        }
        catch (ArgumentException e)
        {
            Reject(order, [$"the {instruction.Algo} algorithm cannot work this order: {e.Message}"]);
            return;
        }
        var worked = new Parent(order, submit.Instrument, algorithm, market.Volume, instruction.LimitOffsetBps)
        {
            Grace = Math.Max(algorithm.Limits.MinInterval, 1_000_000_000L),
            ArrivalMid = market.Mid,
            DecisionPrice = submit.DecisionPrice > 0 ? submit.DecisionPrice : market.Mid,
            NotionalAtStart = market.Notional,
        };
        _parents[order.OrderId] = worked;
        if ((uint)submit.Instrument >= (uint)_parentsByInstrument.Length) System.Array.Resize(ref _parentsByInstrument, Math.Max(submit.Instrument + 1, _parentsByInstrument.Length * 2));
        (_parentsByInstrument[submit.Instrument] ??= []).Add(worked);
        _nextStop = Math.Min(_nextStop, worked.StopAt);
        Upstream.OnReport(new ExecutionReport($"{order.OrderId}/new", order.OrderId, order.Instrument, order.Ts, ExecType.New, OrderStatus.New, order.Side,
            0, 0, 0, order.Quantity, 0, 0, Venue, "", $"{instruction.Algo} over {(instruction.EndNs - order.Ts) / 1e9:0.###} s"));
        Decide(worked, order.Ts);
    }

    private void Decide(int instrument, long ts)
    {
        if ((uint)instrument >= (uint)_parentsByInstrument.Length || _parentsByInstrument[instrument] is not { Count: > 0 } parents) return;
        for (var i = 0; i < parents.Count; i++)
        {
            var parent = parents[i];
            if (!parent.Stopping && !parent.Removed && ts >= parent.Algorithm.QuietUntil) Decide(parent, ts);
        }
    }

    private void Decide(Parent parent, long ts)
    {
        var market = Market(parent.Instrument);
        if (!(market.Bid > 0 && market.Ask > 0)) return;
        var snapshot = new MarketSnapshot(ts, market.Bid, market.Ask, market.BidSize, market.AskSize, (long)Math.Floor(market.Volume - parent.VolumeAtStart));
        var progress = new ExecutionProgress(parent.Filled, parent.WorkingUnits);
        foreach (var child in parent.Algorithm.Decide(snapshot, progress)) Send(parent, child, ts);
    }

    private void Send(Parent parent, ChildOrder child, long ts)
    {
        var order = parent.Order;
        var limit = child.LimitPrice;
        // A crossing child may go the policy's offset through the touch; a passive one rests at its price.
        if (child.TimeInForce == TimeInForce.Ioc && limit is { } touch)
        {
            var offset = parent.LimitOffsetBps / 1e4;
            limit = Math.Round(order.Side == Side.Buy ? touch * (1 + offset) : touch * (1 - offset), 2, MidpointRounding.ToEven);
            if (order.LimitPrice is { } cap) limit = order.Side == Side.Buy ? Math.Min(limit.Value, cap) : Math.Max(limit.Value, cap);
        }
        var id = string.Create(CultureInfo.InvariantCulture, $"{order.OrderId}.{++parent.Children}");
        // The parent carries the gates' reasons; a child says which algorithm sent it and why.
        var childOrder = new Order(id, order.OrderId, order.Instrument, ts, order.Side, child.Type, child.TimeInForce, child.Quantity, limit, null,
            order.Portfolio, order.Venue, order.PolicyId, [parent.Label + child.Reason]);
        Upstream.OnChildOrder(childOrder);
        if (Refused(childOrder, parent.Instrument) is { } breaches)
        {
            Reject(childOrder, breaches);
            return;
        }
        parent.Working[id] = child.Quantity;
        parent.WorkingUnits += child.Quantity;
        _parentOfChild[id] = parent;
        _venue.Send(new SubmitOrder(childOrder, parent.Instrument));
    }

    private IReadOnlyList<string>? Refused(Order order, int instrument)
    {
        var market = Market(instrument);
        var reference = market.Bid > 0 && market.Ask > 0 ? (market.Bid + market.Ask) / 2 : order.LimitPrice ?? 0;
        var breaches = _limits.Breaches(order, reference, 0);
        return breaches.Count == 0 ? null : breaches;
    }

    private void Reject(Order order, IReadOnlyList<string> reasons) =>
        Upstream.OnReport(new ExecutionReport($"{order.OrderId}/rejected", order.OrderId, order.Instrument, order.Ts, ExecType.Rejected, OrderStatus.Rejected,
            order.Side, 0, 0, 0, 0, 0, 0, Venue, "", "pre-trade: " + string.Join("; ", reasons)));

    // Cancel what is working; the parent ends when the venue has confirmed every child's end.
    private void Stop(Parent parent, long ts, string reason)
    {
        if (parent.Stopping) return;
        parent.Stopping = true;
        parent.StopReason = reason;
        if (parent.Working.Count == 0)
        {
            Finish(parent, ts, reason);
            return;
        }
        foreach (var (child, leaves) in parent.Working.ToList())
            _venue.Send(new CancelOrder($"{child}.cxl", child, parent.Order.Instrument, parent.Order.Side, leaves, ts, reason));
    }

    private void Done(Parent parent) => Remove(parent);

    private void Finish(Parent parent, long ts, string reason)
    {
        var order = parent.Order;
        Remove(parent);
        Upstream.OnReport(new ExecutionReport($"{order.OrderId}/done", order.OrderId, order.Instrument, ts, ExecType.Canceled, OrderStatus.Canceled, order.Side,
            0, 0, parent.Filled, 0, parent.Filled > 0 ? parent.Notional / parent.Filled : 0, 0, Venue, "",
            $"{reason}: {order.Quantity - parent.Filled:0.########} of {order.Quantity:0.########} unfilled; {Tca(parent)}"));
    }

    // The parent's implementation shortfall against its decision price, split into delay, execution, opportunity and
    // fees (Perold), and its fills against the market's VWAP over the time it was worked. The unfilled rest is marked
    // at the mid at the end; with no later sample the post-trade price is that mid too.
    private string Tca(Parent parent)
    {
        var market = Market(parent.Instrument);
        var end = market.Mid;
        var volume = market.Volume - parent.VolumeAtStart;
        var vwap = volume > 0 ? (market.Notional - parent.NotionalAtStart) / volume : end;
        if (!(parent.DecisionPrice > 0 && parent.ArrivalMid > 0 && end > 0 && vwap > 0)) return "TCA: no two-sided market to measure against";
        var tca = TransactionCostAnalysis.Analyze(parent.Order.Side, parent.Order.Quantity, parent.Fills, parent.DecisionPrice, parent.ArrivalMid, vwap, end, end);
        return string.Create(CultureInfo.InvariantCulture,
            $"TCA: shortfall {tca.ShortfallBps:0.##} bps (delay {tca.DelayCost:0.##}, execution {tca.ExecutionCost:0.##}, opportunity {tca.OpportunityCost:0.##}, fees {tca.Fees:0.##}); {tca.ArrivalSlippageBps:0.##} bps vs arrival, {tca.VwapSlippageBps:0.##} bps vs VWAP");
    }

    private void Remove(Parent parent)
    {
        parent.Removed = true;
        _parents.Remove(parent.Order.OrderId);
        _parentsByInstrument[parent.Instrument]?.Remove(parent);
    }

    private sealed class Parent(Order order, int instrument, ExecutionAlgorithm algorithm, double volumeAtStart, double limitOffsetBps)
    {
        public Order Order { get; } = order;

        public int Instrument { get; } = instrument;

        public ExecutionAlgorithm Algorithm { get; } = algorithm;

        public double VolumeAtStart { get; } = volumeAtStart;

        public double LimitOffsetBps { get; } = limitOffsetBps;

        public long Grace { get; init; }

        public double ArrivalMid { get; init; }

        public double DecisionPrice { get; init; }

        public double NotionalAtStart { get; init; }

        public List<ExecutionReport> Fills { get; } = [];

        public long StopAt => Algorithm.Parent.EndNs + Grace;

        public long Filled { get; set; }

        public double Notional { get; set; }

        public Dictionary<string, long> Working { get; } = new(StringComparer.Ordinal);

        public long WorkingUnits { get; set; }

        public int Children { get; set; }

        public bool Stopping { get; set; }

        public bool Removed { get; set; }

        public string Label { get; } = $"algo {algorithm.GetType().Name.Replace("Algorithm", "", StringComparison.Ordinal)} for {order.OrderId}: ";

        public string StopReason { get; set; } = "";
    }
}
