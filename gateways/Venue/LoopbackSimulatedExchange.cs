using System.Net;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The simulated exchange over FIX on loopback, behind the execution port: the exchange runs as a FIX acceptor
/// (<see cref="SimulatedExchangeFixApplication"/>) fed the recorded market (<see cref="SimulatedMarket"/>), and the
/// lane trades with it through <see cref="FixExecutionClient"/> — every order, cancel and report encoded, sent over
/// TCP, parsed and validated by both sessions. For a replay the two ends move in lockstep in event time: each command
/// and each market row is followed by a wait until every message the exchange owes the lane has arrived, so the lane
/// sees exactly what it sees with the exchange in process (<see cref="SimulatedExchangeClient"/>). Live (not in
/// lockstep), events come back on the session's thread as they would from a remote venue: what the latency bench measures.
/// </summary>
public sealed class LoopbackSimulatedExchange : IExecutionClient, IMarketObserver, IVenueSubscriber, IAsyncDisposable
{
    private readonly EventTime _time = new();
    private readonly SimulatedExchangeFixApplication _app;
    private readonly SimulatedMarket _market;
    private readonly FixAcceptor _acceptor;
    private readonly FixExecutionClient _client;
    private readonly IInstrumentNames _names;
    private readonly ArrivalCosts _costs = new();
    private readonly OrderAliases _aliases = new();
    private readonly Forwarder _forwarder;
    private readonly bool _lockstep;

    /// <summary>Starts the exchange on a loopback port and connects to it.</summary>
    /// <param name="policy">Fees come from its costs.</param>
    /// <param name="names">The lane's instrument names.</param>
    /// <param name="venue">Venue name.</param>
    /// <param name="lockstep">Replay in lockstep (true) or trade live.</param>
    public LoopbackSimulatedExchange(TradingPolicy policy, IInstrumentNames names, string venue = "SIM", bool lockstep = true)
    {
        _lockstep = lockstep;
        _names = names;
        _app = new SimulatedExchangeFixApplication([], venue, _time, this);
        _market = new SimulatedMarket(_app.Exchange, policy.CostsOrDefault.CommissionBps, policy.CostsOrDefault.MakerFeeBps);
        _acceptor = new FixAcceptor();
        // Nanosecond timestamps both ways, so the lane's events carry the exchange's event times exactly.
        _acceptor.AddSession(new FixSessionSettings(venue, "FLOW") { TimestampPrecision = 9 }, new MemoryFixMessageStore(), _app);
        var endpoint = _acceptor.Start(IPAddress.Loopback, 0);
        _client = new FixExecutionClient(new FixVenueOptions(IPAddress.Loopback.ToString(), endpoint.Port) { TargetCompId = venue, Venue = venue, TimestampPrecision = 9 },
            clock: null, lockstep: lockstep);
        _forwarder = new Forwarder(this);
    }

    /// <summary>The FIX session on the lane's side.</summary>
    public FixSession Session => _client.Session;

    /// <summary>The FIX client the lane trades through.</summary>
    public FixExecutionClient Client => _client;

    /// <inheritdoc />
    public string Venue => _client.Venue;

    /// <inheritdoc />
    public bool IsLive => !_lockstep;

    /// <inheritdoc />
    public void Start(IExecutionEvents events)
    {
        _forwarder.Events = events;
        _client.Start(_forwarder);
    }

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        _time.Set(command.Ts);
        if (command is SubmitOrder { Order: var order })
        {
            _app.Run(_ => _market.Prepare(order, order.Ts));
            _costs.Arrived(order.OrderId, _market.Mid(order.Instrument));
        }
        else if (command is CancelOrder cancel) _aliases.Add(cancel.ClOrdId, cancel.OrigClOrdId);
        else if (command is ReplaceOrder replace)
        {
            _aliases.Add(replace.ClOrdId, replace.OrigClOrdId);
            _app.Run(_ => _market.Replacing(_aliases.Original(replace.OrigClOrdId), replace.LimitPrice));
        }
        Settle();
        _client.Send(command);
        Settle();
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts)
    {
        _time.Set(ts);
        _app.Run(exchange => exchange.AdvanceTo(ts));
        Settle();
    }

    /// <inheritdoc />
    public void Close(long ts)
    {
        _time.Set(ts);
        Settle();
        _client.Close(ts);
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize)
    {
        _time.Set(ts);
        var symbol = _names.Name(instrument);
        _app.Run(exchange =>
        {
            exchange.AdvanceTo(ts);
            if (kind == TickKind.Trade) _market.Trade(symbol, ts, price, size);
            else _market.Quote(symbol, ts, bid, bidSize, ask, askSize);
        });
        Settle();
    }

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume) =>
        throw new InvalidOperationException("the simulated exchange matches orders against recorded quotes; a bar feed trades on the bar venue (--venue replay)");

    /// <summary>Stops the client and the acceptor.</summary>
    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        await _acceptor.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // The exchange's own view of every report (the tap): the market follows the recorded orders and ours, under the
    // ids the lane knows them by (the FIX client resolves the lane's copies the same way).
    void IVenueSubscriber.OnExecutionReport(ExecutionReport report) => _market.Observe(SimulatedMarket.IsBackground(report.OrderId) ? report : _aliases.Resolve(report));

    void IVenueSubscriber.OnCancelReject(OrderCancelRejected reject)
    {
    }

    private void Settle()
    {
        if (_lockstep) _client.WaitFor(() => _app.Processed, () => _app.Published);
    }

    // Event time for the exchange, set by the replay before each step.
    private sealed class EventTime : TimeProvider
    {
        private long _now;

        public void Set(long ns)
        {
            if (ns > _now) _now = ns;
        }

        public override DateTimeOffset GetUtcNow() => Nanos.ToDateTimeOffset(_now);
    }

    // Events from the FIX client on to the lane, with the spread each fill paid against the mid at its arrival.
    private sealed class Forwarder(LoopbackSimulatedExchange owner) : IExecutionEvents
    {
        public IExecutionEvents? Events { get; set; }

        private IExecutionEvents Lane => Events ?? throw new InvalidOperationException("the loopback exchange was not started");

        public void OnReport(ExecutionReport report)
        {
            Lane.OnReport(report);
            owner._costs.Reported(report, Lane);
        }

        public void OnCancelRejected(OrderCancelRejected reject) => Lane.OnCancelRejected(reject);

        public void OnFillCost(FillCost cost) => Lane.OnFillCost(cost);

        public void OnChildOrder(Order child) => Lane.OnChildOrder(child);

        public void OnConnection(bool connected, string reason) => Lane.OnConnection(connected, reason);

        public void Post(Action work) => Lane.Post(work);
    }
}
