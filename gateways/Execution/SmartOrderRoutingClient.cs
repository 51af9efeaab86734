using System.Diagnostics;
using System.Globalization;
using System.Text;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>A venue the router may send to, with the taker fee it weighs for it.</summary>
/// <param name="Client">The venue behind the port.</param>
/// <param name="FeeBps">Its taker fee, bps of notional.</param>
public sealed record RoutedVenue(IExecutionClient Client, double FeeBps);

/// <summary>
/// The smart order router behind the execution port (blueprint §17.4): every order that reaches it — the lane's own, or
/// an algorithm's child — is split across the configured venues by <see cref="SmartOrderRouter"/> from each venue's
/// scorecard (displayed size at the touch it would take, fee, and the fill rate, order-entry latency and post-fill
/// markout <see cref="VenueScorecards"/> learns from what happened to earlier slices there). Each slice goes to its venue
/// as a child of the routed order (<c>{order}~{venue}</c>); the slices' fills come back as the routed order's own fills
/// (cumulative quantity and average price over all venues), and the order ends when every slice has. An order that
/// rests (it does not cross the touch) goes whole to the one venue that is cheapest for it. The router decides where,
/// never how much: what the model leaves unrouted goes to the cheapest venue per lot.
/// </summary>
public sealed class SmartOrderRoutingClient : IExecutionClient, IMarketObserver, IAsyncDisposable
{
    /// <summary>How long after a fill the mid is read for its markout (adverse selection).</summary>
    public const long MarkoutHorizonNs = 5_000_000_000;

    private readonly RoutedVenue[] _venues;
    private readonly IMarketObserver?[] _observers;
    private readonly RouterSettings _settings;
    private readonly VenueScorecards _scorecards;
    private readonly Dictionary<string, Routed> _routed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Slice> _slices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _routedFillOf = new(StringComparer.Ordinal);
    private Touch[] _touch = [];
    private Queue<Markout>?[] _markouts = [];
    private IExecutionEvents? _events;
    private long _now; // the lane's time as the router last saw it: what a slice's latency is measured from

    /// <summary>Routes across <paramref name="venues"/> (two or more, uniquely named).</summary>
    /// <exception cref="ArgumentException">Fewer than two venues, or two with one name.</exception>
    public SmartOrderRoutingClient(IReadOnlyList<RoutedVenue> venues, RouterSettings? settings = null, VenueScorecards? scorecards = null)
    {
        if (venues.Count < 2) throw new ArgumentException($"the router needs two or more venues, got {venues.Count}");
        if (venues.Select(v => v.Client.Venue).Distinct(StringComparer.Ordinal).Count() != venues.Count)
            throw new ArgumentException($"the routed venues need distinct names, got {string.Join(", ", venues.Select(v => v.Client.Venue))}");
        _venues = [.. venues];
        _observers = [.. venues.Select(v => v.Client as IMarketObserver)];
        _settings = settings ?? new RouterSettings(LotSize: 1, MinLots: 1, MaxVenues: venues.Count);
        _scorecards = scorecards ?? new VenueScorecards();
        Venue = string.Join("+", venues.Select(v => v.Client.Venue));
    }

    /// <inheritdoc />
    public string Venue { get; }

    /// <inheritdoc />
    public bool IsLive => _venues.Any(v => v.Client.IsLive);

    /// <summary>The venues' scorecards as the router sees them.</summary>
    public VenueScorecards Scorecards => _scorecards;

    /// <summary>Routing decisions taken.</summary>
    public int Decisions { get; private set; }

    /// <summary>Time spent in the routing model, Stopwatch ticks.</summary>
    public long SolveTicks { get; private set; }

    /// <summary>Quantity each venue was sent.</summary>
    public IReadOnlyDictionary<string, double> SentByVenue => _sentByVenue;

    private readonly Dictionary<string, double> _sentByVenue = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Start(IExecutionEvents events)
    {
        _events = events;
        for (var i = 0; i < _venues.Length; i++) _venues[i].Client.Start(LaneThreadEvents.For(_venues[i].Client, new VenueEvents(this, i), () => Upstream));
    }

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        switch (command)
        {
            case SubmitOrder submit:
                Route(submit);
                break;
            case CancelOrder cancel:
                Cancel(cancel);
                break;
            case ReplaceOrder replace:
                Upstream.OnCancelRejected(new OrderCancelRejected(replace.ClOrdId, replace.OrigClOrdId, replace.OrigClOrdId, OrderStatus.New, 2, 2,
                    $"order {replace.OrigClOrdId} is split across venues ({Venue}): it is not replaced; cancel it and send a new one"));
                break;
        }
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts)
    {
        _now = Math.Max(_now, ts);
        foreach (var venue in _venues) venue.Client.AdvanceTo(ts);
    }

    /// <inheritdoc />
    public void Close(long ts)
    {
        foreach (var venue in _venues) venue.Client.Close(ts);
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize)
    {
        _now = Math.Max(_now, ts);
        if (kind != TickKind.Trade) Touched(instrument, ts, bid, bidSize, ask, askSize);
        foreach (var observer in _observers) observer?.OnTick(instrument, ts, kind, price, size, bid, bidSize, ask, askSize);
    }

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume)
    {
        _now = Math.Max(_now, ts);
        Touched(instrument, ts, close, double.NaN, close, double.NaN);
        foreach (var observer in _observers) observer?.OnBar(instrument, ts, open, high, low, close, adjustedClose, volume);
    }

    /// <summary>Releases the venues' connections.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var venue in _venues)
            if (venue.Client is IAsyncDisposable disposable) await disposable.DisposeAsync().ConfigureAwait(false);
    }

    private IExecutionEvents Upstream => _events ?? throw new InvalidOperationException("the smart order router was not started");

    private void Touched(int instrument, long ts, double bid, double bidSize, double ask, double askSize)
    {
        if ((uint)instrument >= (uint)_touch.Length)
        {
            Array.Resize(ref _touch, Math.Max(instrument + 1, _touch.Length * 2));
            Array.Resize(ref _markouts, _touch.Length);
        }
        ref var touch = ref _touch[instrument];
        if (bid > 0) (touch.Bid, touch.BidSize) = (bid, bidSize);
        if (ask > 0) (touch.Ask, touch.AskSize) = (ask, askSize);
        if (_markouts[instrument] is not { Count: > 0 } due) return;
        var mid = touch.Mid;
        while (due.Count > 0 && due.Peek().Due <= ts && mid > 0)
        {
            var m = due.Dequeue();
            // Positive when the market moved against the side we took: a buy after which the mid fell.
            var bps = (m.Side == Side.Buy ? m.Mid - mid : mid - m.Mid) / m.Mid * 1e4;
            _scorecards.RecordMarkout(_venues[m.Venue].Client.Venue, bps);
        }
    }

    private Touch TouchOf(int instrument) => (uint)instrument < (uint)_touch.Length ? _touch[instrument] : default;

    private void Route(SubmitOrder submit)
    {
        var order = submit.Order;
        var touch = TouchOf(submit.Instrument);
        var unit = Unit(order.Quantity);
        var units = (long)Math.Round(order.Quantity / unit);
        var opposite = order.Side == Side.Buy ? touch.Ask : touch.Bid;
        var crossing = order.Type == OrderType.Market || (opposite > 0 && order.LimitPrice is { } limit && (order.Side == Side.Buy ? limit >= opposite : limit <= opposite));
        var size = order.Side == Side.Buy ? touch.AskSize : touch.BidSize;
        // A crossing order takes what is displayed at each venue; a resting one needs no displayed size and goes to one venue.
        var displayed = crossing && size > 0 ? Math.Min(units, Math.Floor(size / unit)) : units;
        var cards = _venues.Select(v => _scorecards.Scorecard(v.Client.Venue, displayed, v.FeeBps)).ToList();
        var settings = crossing ? _settings : _settings with { MaxVenues = 1 };
        var started = Stopwatch.GetTimestamp();
        RoutingPlan plan;
        try
        {
            plan = SmartOrderRouter.Route(units, cards, settings, timeLimitSeconds: 0.05);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Report(order, ExecType.Rejected, OrderStatus.Rejected, 0, 0, 0, $"router: {e.Message}");
            return;
        }
        finally
        {
            SolveTicks += Stopwatch.GetTimestamp() - started;
            Decisions++;
        }
        // The algorithm (or the lane) decided how much to trade; the router decides only where. What the model leaves
        // unrouted — beyond what the venues display, or where no fill is expected to beat missing it — goes to the venue
        // cheapest per lot, as it would with that venue alone.
        var allocations = plan.Allocations.ToDictionary(a => a.Venue, a => a.Quantity, StringComparer.Ordinal);
        var rest = "";
        if (plan.Unrouted > 0)
        {
            var cheapest = cards.MinBy(c => SmartOrderRouter.PerLot(c, settings))!.Venue;
            allocations[cheapest] = allocations.GetValueOrDefault(cheapest) + plan.Unrouted;
            rest = string.Create(CultureInfo.InvariantCulture, $"; {plan.Unrouted * unit:0.########} the model left unrouted to {cheapest}, the cheapest per lot");
        }
        var routed = new Routed(order, Cards(cards) + rest) { Sending = true };
        _routed[order.OrderId] = routed;
        foreach (var (name, quantity) in allocations)
        {
            var v = Array.FindIndex(_venues, x => x.Client.Venue == name);
            var slice = new Slice(routed, v, quantity * unit, Math.Max(_now, order.Ts)) { Instrument = submit.Instrument };
            var sliceOrder = order with { OrderId = $"{order.OrderId}~{name}", ParentOrderId = order.OrderId, Quantity = slice.Quantity, Venue = name };
            _slices[sliceOrder.OrderId] = slice;
            routed.Slices.Add(sliceOrder.OrderId, slice);
            _sentByVenue[name] = _sentByVenue.GetValueOrDefault(name) + slice.Quantity;
            Upstream.OnChildOrder(sliceOrder);
            _venues[v].Client.Send(new SubmitOrder(sliceOrder, submit.Instrument) { Arrival = submit.Arrival, DecisionPrice = submit.DecisionPrice });
        }
        routed.Sending = false;
        if (!routed.Removed && routed.Open == 0) Finish(routed, order.Ts);
    }

    private void Cancel(CancelOrder cancel)
    {
        if (!_routed.TryGetValue(cancel.OrigClOrdId, out var routed))
        {
            Upstream.OnCancelRejected(new OrderCancelRejected(cancel.ClOrdId, cancel.OrigClOrdId, "", OrderStatus.Rejected, 1, 1,
                $"order {cancel.OrigClOrdId} is not open at any of {Venue}"));
            return;
        }
        foreach (var (id, slice) in routed.Slices.Where(s => !s.Value.Done).ToList())
        {
            _venues[slice.Venue].Client.Send(new CancelOrder($"{cancel.ClOrdId}~{_venues[slice.Venue].Client.Venue}", id, cancel.Instrument, cancel.Side, slice.Quantity - slice.Filled, cancel.Ts, cancel.Reason));
        }
    }

    private void OnReport(int venue, ExecutionReport report)
    {
        Upstream.OnReport(report);
        if (!_slices.TryGetValue(report.OrderId, out var slice) || slice.Done) return;
        var routed = slice.Routed;
        var order = routed.Order;
        if (slice.LatencyNs < 0) slice.LatencyNs = Math.Max(0, report.Ts - slice.SentTs);
        if (!routed.Acknowledged && (report.ExecType == ExecType.New || report.IsFill))
        {
            routed.Acknowledged = true;
            Report(order, ExecType.New, OrderStatus.New, 0, 0, report.Ts, $"routed {string.Join(", ", routed.Plan.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Quantity:0.########} to {_venues[p.Venue].Client.Venue}")))}; scorecards {routed.Cards}", "new");
        }
        if (report.IsFill)
        {
            slice.Filled += report.LastQty;
            routed.Filled += report.LastQty;
            routed.Notional += report.LastQty * report.LastPrice;
            var complete = routed.Filled >= order.Quantity * (1 - 1e-12);
            var fill = new ExecutionReport($"{report.ExecId}/{order.OrderId}", order.OrderId, order.Instrument, report.Ts, ExecType.Trade,
                complete ? OrderStatus.Filled : OrderStatus.PartiallyFilled, order.Side, report.LastQty, report.LastPrice, routed.Filled,
                Math.Max(0, order.Quantity - routed.Filled), routed.Notional / routed.Filled, report.Fee, report.Venue, report.Liquidity,
                $"slice {report.OrderId} at {report.Venue}");
            _routedFillOf[report.ExecId] = fill.ExecId;
            Upstream.OnReport(fill);
            // The markout is read against the mid at the fill; with no touch seen yet there is nothing to measure from.
            if (slice.Instrument >= 0 && TouchOf(slice.Instrument).Mid is var mid and > 0)
                (_markouts[slice.Instrument] ??= new()).Enqueue(new Markout(venue, order.Side, mid, report.Ts + MarkoutHorizonNs));
            if (complete) Remove(routed);
        }
        if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired)
        {
            slice.Done = true;
            slice.Status = report.Status;
            slice.Text = report.Text;
            _slices.Remove(report.OrderId);
            _scorecards.Record(_venues[venue].Client.Venue, slice.Quantity, Math.Min(slice.Quantity, slice.Filled), slice.LatencyNs / 1e3, double.NaN);
            if (!routed.Removed && !routed.Sending && routed.Open == 0) Finish(routed, report.Ts);
        }
    }

    // Every slice is done and the order is not filled: it ends with what the slices did and what was never routed.
    private void Finish(Routed routed, long ts)
    {
        Remove(routed);
        var order = routed.Order;
        var slices = routed.Slices.Values;
        var rejected = routed.Filled == 0 && slices.All(s => s.Status == OrderStatus.Rejected);
        var expired = slices.All(s => s.Status == OrderStatus.Expired);
        var text = new StringBuilder();
        foreach (var s in slices)
            text.Append(CultureInfo.InvariantCulture, $"{_venues[s.Venue].Client.Venue} {s.Quantity:0.########} ({s.Filled:0.########} filled, {s.Status}{(s.Status == OrderStatus.Rejected && s.Text.Length > 0 ? ": " + s.Text : "")}); ");
        var (type, status) = rejected ? (ExecType.Rejected, OrderStatus.Rejected) : expired ? (ExecType.Expired, OrderStatus.Expired) : (ExecType.Canceled, OrderStatus.Canceled);
        Report(order, type, status, routed.Filled, routed.Filled > 0 ? routed.Notional / routed.Filled : 0, ts, "router: " + text.ToString().TrimEnd(' ', ';'), "done");
    }

    private void Remove(Routed routed)
    {
        routed.Removed = true;
        _routed.Remove(routed.Order.OrderId);
    }

    private void Report(Order order, ExecType type, OrderStatus status, double cum, double avg, long ts, string text, string? suffix = null) =>
        Upstream.OnReport(new ExecutionReport($"{order.OrderId}/{suffix ?? status.ToString().ToLowerInvariant()}", order.OrderId, order.Instrument,
            ts == 0 ? order.Ts : ts, type, status, order.Side, 0, 0, cum, status is OrderStatus.New ? order.Quantity - cum : 0, avg, 0, Venue, "", text));

    // A slice's cancel and the slice are named {id}~{venue}: the venue's refusal is the routed order's.
    private void OnCancelRejected(int venue, OrderCancelRejected reject)
    {
        var suffix = "~" + _venues[venue].Client.Venue;
        if (reject.ClOrdId.EndsWith(suffix, StringComparison.Ordinal) && reject.OrigClOrdId.EndsWith(suffix, StringComparison.Ordinal))
            Upstream.OnCancelRejected(reject with { ClOrdId = reject.ClOrdId[..^suffix.Length], OrigClOrdId = reject.OrigClOrdId[..^suffix.Length], Text = $"{_venues[venue].Client.Venue}: {reject.Text}" });
        else Upstream.OnCancelRejected(reject);
    }

    private void OnFillCost(FillCost cost) => Upstream.OnFillCost(_routedFillOf.Remove(cost.ExecId, out var fill) ? cost with { ExecId = fill } : cost);

    private string Cards(IEnumerable<VenueScorecard> cards) => string.Join(", ", cards.Select(c => string.Create(CultureInfo.InvariantCulture,
        $"{c.Venue} fill {c.FillProbability:0.###}, {c.LatencyMicros:0} µs, markout {c.MarkoutBps:0.##} bps, fee {c.FeeBps:0.##} bps")));

    // The smallest decimal step that makes the quantity whole, so fractional (crypto) quantities route in whole units.
    private static double Unit(double quantity)
    {
        var unit = 1.0;
        for (var i = 0; i < 8 && Math.Abs(quantity / unit - Math.Round(quantity / unit)) > 1e-9; i++) unit /= 10;
        return unit;
    }

    private struct Touch
    {
        public double Bid;
        public double BidSize;
        public double Ask;
        public double AskSize;

        public readonly double Mid => Bid > 0 && Ask > 0 ? (Bid + Ask) / 2 : 0;
    }

    private readonly record struct Markout(int Venue, Side Side, double Mid, long Due);

    private sealed class Routed(Order order, string cards)
    {
        public Order Order { get; } = order;

        public string Cards { get; } = cards;

        public Dictionary<string, Slice> Slices { get; } = new(StringComparer.Ordinal);

        public IEnumerable<(double Quantity, int Venue)> Plan => Slices.Values.Select(s => (s.Quantity, s.Venue));

        public int Open => Slices.Values.Count(s => !s.Done);

        public double Filled { get; set; }

        public double Notional { get; set; }

        public bool Sending { get; set; }

        public bool Acknowledged { get; set; }

        public bool Removed { get; set; }
    }

    private sealed class Slice(Routed routed, int venue, double quantity, long sentTs)
    {
        public Routed Routed { get; } = routed;

        public int Venue { get; } = venue;

        public double Quantity { get; } = quantity;

        public long SentTs { get; } = sentTs;

        public int Instrument { get; init; } = -1;

        public long LatencyNs { get; set; } = -1;

        public double Filled { get; set; }

        public bool Done { get; set; }

        public OrderStatus Status { get; set; }

        public string Text { get; set; } = "";
    }

    // One venue's events, so the router knows where each came from.
    private sealed class VenueEvents(SmartOrderRoutingClient router, int venue) : IExecutionEvents
    {
        public void OnReport(ExecutionReport report) => router.OnReport(venue, report);

        public void OnCancelRejected(OrderCancelRejected reject) => router.OnCancelRejected(venue, reject);

        public void OnFillCost(FillCost cost) => router.OnFillCost(cost);

        public void OnChildOrder(Order child) => router.Upstream.OnChildOrder(child);

        public void OnConnection(bool connected, string reason) => router.Upstream.OnConnection(connected, $"{router._venues[venue].Client.Venue}: {reason}");

        public void Post(Action work) => router.Upstream.Post(work);
    }
}
