using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>Where and how the FIX venue client connects.</summary>
/// <param name="Host">Acceptor host.</param>
/// <param name="Port">Acceptor port.</param>
public sealed record FixVenueOptions(string Host, int Port)
{
    /// <summary>Our SenderCompID (49).</summary>
    public string SenderCompId { get; init; } = "FLOW";

    /// <summary>The venue's CompID (56).</summary>
    public string TargetCompId { get; init; } = "SIM";

    /// <summary>Venue name on the lane's reports.</summary>
    public string Venue { get; init; } = "FIX";

    /// <summary>
    /// Directory of the durable message store (sequence numbers and sent messages survive a crash and a restart, so a
    /// reconnect resumes the session and answers resend requests); null keeps the session in memory.
    /// </summary>
    public string? StoreDirectory { get; init; }

    /// <summary>Heartbeat interval.</summary>
    public int HeartBtIntSeconds { get; init; } = 30;

    /// <summary>Reset sequence numbers at every logon (loses the resend of what was in flight; off by default).</summary>
    public bool ResetOnLogon { get; init; }

    /// <summary>Fraction digits of the timestamps we send.</summary>
    public int TimestampPrecision { get; init; } = 3;

    /// <summary>Pause between reconnect attempts.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first connection may take before the lane refuses to start.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long closing waits for working orders to be cancelled.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// A FIX 4.4 venue behind the execution port, through our initiator: submit, cancel and replace go out as
/// NewOrderSingle, OrderCancelRequest and OrderCancelReplaceRequest; ExecutionReport, OrderCancelReject and the
/// rejects of our own messages (session Reject by RefSeqNum, BusinessMessageReject by BusinessRejectRefID) come back
/// as the order's events, under the ClOrdID it was submitted with. Events arrive on the session's thread in arrival
/// order (a live venue), stamped with the lane's clock. A dropped connection is reported and retried; the session's
/// sequence numbers carry over (with the durable store across restarts too), so what either side sent meanwhile is
/// resent and the lane's order manager drops the possible duplicates by execution id. Commands issued while
/// disconnected wait and go out after the next logon. After every logon but the first, each working order is asked for
/// with an OrderStatusRequest: a venue that reset its sequence numbers (or lost its store) resends nothing, and its
/// ExecType I answers are booked as whatever fills and ends the lane had not heard of. Closing cancels what is still
/// working and logs out.
/// </summary>
public sealed class FixExecutionClient : IExecutionClient, IFixApplication, IAsyncDisposable
{
    private readonly FixVenueOptions _options;
    private readonly Func<long>? _clock;
    private readonly FixInitiator _initiator;
    private readonly IFixMessageStore _store;
    // Lock order: _sending before the session's own lock (Session.Send) and before _gate; the session's callbacks hold
    // its lock and take only _gate. So a command going out and a report coming in never wait on each other.
    private readonly Lock _sending = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Order> _working = new(StringComparer.Ordinal);
    // What the lane has been told each order filled (quantity, notional), and how much of it a status answer revealed:
    // a fill the venue resends after that answer is reported only past it, so the two cannot both count. (Any other
    // repeat goes through: the lane's order manager names duplicates.)
    private readonly Dictionary<string, (double Cum, double Notional)> _booked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _reconciled = new(StringComparer.Ordinal);
    private int _logons;
    private int _statusRequests;
    private readonly Dictionary<int, string> _sentSeq = [];
    private readonly Queue<ExecutionCommand> _waiting = new();
    private readonly OrderAliases _aliases = new();
    private readonly ConcurrentQueue<Action<IExecutionEvents>> _held = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private IExecutionEvents? _events;
    private Task? _reconnect;
    private volatile bool _closing;
    private volatile bool _started;
    private long _received;
    private long _sent;

    /// <summary>A client for the venue at <paramref name="options"/>; <paramref name="clock"/> stamps the events (the lane's clock).</summary>
    /// <param name="options">Where and how to connect.</param>
    /// <param name="clock">The lane's now, in ns, stamped on each event as it arrives (null: the venue's TransactTime).</param>
    /// <param name="lockstep">
    /// Hold events until the caller asks for them with <see cref="WaitFor"/> (a replay against a venue that runs in
    /// the same process: the lane then sees the same events in the same order as with the venue in process).
    /// </param>
    /// <param name="log">Session log.</param>
    public FixExecutionClient(FixVenueOptions options, Func<long>? clock = null, bool lockstep = false, IFixLog? log = null)
    {
        _options = options;
        _clock = clock;
        Lockstep = lockstep;
        _store = options.StoreDirectory is { } dir ? new FileFixMessageStore(dir) : new MemoryFixMessageStore();
        var settings = new FixSessionSettings(options.SenderCompId, options.TargetCompId)
        {
            HeartBtIntSeconds = options.HeartBtIntSeconds,
            ResetOnLogon = options.ResetOnLogon,
            ResetWhenFresh = options.StoreDirectory is null,
            TimestampPrecision = options.TimestampPrecision,
        };
        _initiator = new FixInitiator(settings, _store, this, log);
    }

    /// <summary>Whether events wait for <see cref="WaitFor"/>.</summary>
    public bool Lockstep { get; }

    /// <summary>The FIX session.</summary>
    public FixSession Session => _initiator.Session;

    /// <summary>Application messages received from the venue.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Application messages sent to the venue.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>
    /// When set, each NewOrderSingle whose command carries its trigger's arrival records the time from that arrival
    /// to the message written to the socket (Stopwatch ticks), in <see cref="WireLatencies"/>.
    /// </summary>
    public bool RecordWireLatency { get; set; }

    /// <summary>Tick-to-wire latencies recorded, Stopwatch ticks (written under the send lock; read after the run).</summary>
    public List<long> WireLatencies { get; } = [];

    /// <summary>Orders not yet done at the venue.</summary>
    public int Working
    {
        get
        {
            lock (_gate) return _working.Count;
        }
    }

    /// <inheritdoc />
    public string Venue => _options.Venue;

    /// <inheritdoc />
    public bool IsLive => !Lockstep;

    /// <inheritdoc />
    /// <exception cref="FixSessionException">The venue cannot be reached or refused the logon within the connect timeout.</exception>
    public void Start(IExecutionEvents events)
    {
        _events = events;
        try
        {
            FixConnector.Connect(_initiator, _options.Host, _options.Port, _options.ConnectTimeout, _options.ReconnectDelay);
        }
        catch (FixSessionException e)
        {
            throw new FixSessionException($"FIX venue {_options.Host}:{_options.Port} ({Session.Id}): {e.Message}");
        }
        _started = true;
    }

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        lock (_sending)
        {
            if (command is SubmitOrder submit)
            {
                lock (_gate) _working[submit.Order.OrderId] = submit.Order;
            }
            if (Session.State != FixSessionState.LoggedOn || _waiting.Count > 0 || !Transmit(command)) _waiting.Enqueue(command);
        }
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts)
    {
    }

    /// <summary>
    /// Lockstep: waits until the venue has taken every message we sent (<paramref name="processed"/>) and everything it
    /// published for us (<paramref name="published"/>) has arrived, then hands the held events to the lane on the
    /// caller's thread.
    /// </summary>
    /// <exception cref="TimeoutException">The venue did not answer within 10 s.</exception>
    public void WaitFor(Func<long> processed, Func<long> published)
    {
        var deadline = Environment.TickCount64 + 10_000;
        var spinner = new SpinWait();
        while (processed() < Sent || Received < published())
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException($"FIX venue {_options.Host}:{_options.Port}: {Sent - processed()} of our messages not taken and {published() - Received} of its messages not arrived after 10 s (session {Session})");
            // A loopback round trip takes tens of microseconds: spin (yielding) first, then sleep on arrivals.
            if (spinner.Count < 200) spinner.SpinOnce(sleep1Threshold: -1);
            else _arrived.Wait(1);
        }
        while (_held.TryDequeue(out var apply)) apply(Events);
    }

    /// <inheritdoc />
    public void Close(long ts)
    {
        List<Order> open;
        lock (_gate) open = [.. _working.Values];
        foreach (var order in open) Send(new CancelOrder($"{order.OrderId}.close", order.OrderId, order.Instrument, order.Side, order.Quantity, ts, "the lane closed"));
        var deadline = Environment.TickCount64 + (long)_options.CloseTimeout.TotalMilliseconds;
        while (Working > 0 && Environment.TickCount64 < deadline) _arrived.Wait(10);
        if (Lockstep) while (_held.TryDequeue(out var apply)) apply(Events);
        _closing = true;
        _initiator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Logs out and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _initiator.DisposeAsync().ConfigureAwait(false);
        if (_reconnect is { } reconnect) await reconnect.ConfigureAwait(false);
        (_store as IDisposable)?.Dispose();
        _arrived.Dispose();
    }

    void IFixApplication.OnLogon(FixSession session)
    {
        // What waited goes out from another thread: this callback holds the session, and a sender holding _sending may be waiting for it.
        var reconnected = Interlocked.Increment(ref _logons) > 1;
        _ = Task.Run(() =>
        {
            Flush();
            if (reconnected) RequestStatus();
        });
        Deliver(e => e.OnConnection(true, $"FIX session {session.Id} logged on to {_options.Host}:{_options.Port} (next out {session.NextSenderSeqNum}, next in {session.NextTargetSeqNum})"));
    }

    void IFixApplication.OnLogout(FixSession session, string reason)
    {
        if (_closing || !_started) return;
        Deliver(e => e.OnConnection(false, $"FIX session {session.Id} to {_options.Host}:{_options.Port} dropped: {reason}; reconnecting every {_options.ReconnectDelay.TotalSeconds:0.##} s"));
        lock (_gate)
        {
            if (_reconnect is { IsCompleted: false }) return;
            _reconnect = Task.Run(() => FixConnector.ReconnectAsync(_initiator, _options.Host, _options.Port, _options.ReconnectDelay, () => _closing,
                e => Deliver(ev => ev.OnConnection(false, $"reconnect to {_options.Host}:{_options.Port} failed: {e}"))));
        }
    }

    void IFixApplication.FromApp(FixMessage message, FixSession session)
    {
        switch (message.MsgTypeString)
        {
            case FixMsgType.ExecutionReport:
                var report = FixOrderMessages.ToExecutionReport(message, _options.Venue);
                List<ExecutionReport> booked;
                lock (_gate)
                {
                    report = _aliases.Resolve(report);
                    if (_clock is { } now) report = report with { Ts = now() };
                    booked = Book(report);
                    foreach (var done in booked)
                        if (done.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired) _working.Remove(done.OrderId);
                }
                Arrived(e =>
                {
                    foreach (var r in booked) e.OnReport(r);
                });
                break;
            case FixMsgType.OrderCancelReject:
                var reject = FixOrderMessages.ToCancelReject(message);
                lock (_gate) reject = _aliases.Resolve(reject);
                Arrived(e => e.OnCancelRejected(reject));
                break;
            case FixMsgType.BusinessMessageReject when message.GetString(372) == FixMsgType.OrderStatusRequest:
                // A venue without OrderStatusRequest: its resends are all the reconciliation there is.
                Arrived(e => e.OnConnection(true, $"the venue does not answer OrderStatusRequest ({message.GetString(FixTag.Text)}): orders are reconciled only by its resends"));
                break;
            case FixMsgType.BusinessMessageReject:
                // A NewOrderSingle the venue would not take is named by BusinessRejectRefID (379).
                Refused(message.GetString(379), $"the venue rejected the message (BusinessRejectReason {message.GetString(380)}): {message.GetString(FixTag.Text)}");
                break;
            default:
                Interlocked.Increment(ref _received);
                _arrived.Release();
                break;
        }
    }

    void IFixApplication.FromAdmin(FixMessage message, FixSession session)
    {
        // A session-level Reject of one of our orders (RefSeqNum 45) ends that order.
        if (message.MsgTypeString != FixMsgType.Reject || !message.TryGetInt(45, out var seq)) return;
        string? clOrdId;
        lock (_gate) _sentSeq.TryGetValue(seq, out clOrdId);
        if (clOrdId is null) return;
        Refused(clOrdId, $"the venue rejected message {seq} at the session level (reason {message.GetString(373)}, tag {message.GetString(371)}): {message.GetString(FixTag.Text)}", counted: false);
    }

    // Under _gate. What the lane is told of a report: a fill only past what it was told before (the rest of a resent or
    // reconciled fill is history), a status answer only as the fills and the end it reveals.
    private List<ExecutionReport> Book(ExecutionReport report)
    {
        var (cum, notional) = _booked.GetValueOrDefault(report.OrderId);
        const double tolerance = 1e-9;
        if (report.ExecType == ExecType.OrderStatus)
        {
            if (!_working.ContainsKey(report.OrderId)) return [];
            if (report.Status == OrderStatus.Rejected && report.CumQty == 0)
                return [report with { ExecType = ExecType.Rejected, Text = $"after the reconnect the venue does not know the order ({report.Text})" }];
            List<ExecutionReport> revealed = [];
            if (report.CumQty > cum + tolerance)
            {
                var quantity = report.CumQty - cum;
                _booked[report.OrderId] = (report.CumQty, report.CumQty * report.AvgPrice);
                _reconciled[report.OrderId] = report.CumQty;
                var status = report.Status is OrderStatus.Filled ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
                var fill = report with
                {
                    ExecId = $"{report.ExecId}/reconciled",
                    ExecType = ExecType.Trade,
                    Status = status,
                    LastQty = quantity,
                    LastPrice = (report.CumQty * report.AvgPrice - notional) / quantity,
                    Text = "fills the venue reported while the session was down (OrderStatusRequest)",
                };
                revealed.Add(fill);
            }
            if (report.Status is OrderStatus.Canceled or OrderStatus.Expired)
                revealed.Add(report with { ExecId = $"{report.ExecId}/ended", ExecType = report.Status == OrderStatus.Canceled ? ExecType.Canceled : ExecType.Expired, LastQty = 0, LastPrice = 0, Text = "ended while the session was down (OrderStatusRequest)" });
            return revealed;
        }
        if (report.IsFill)
        {
            var revealed = _reconciled.GetValueOrDefault(report.OrderId);
            if (revealed > 0 && report.CumQty <= revealed + tolerance) return [];
            var partlyRevealed = revealed > 0 && report.CumQty - report.LastQty < revealed - tolerance;
            _booked[report.OrderId] = (Math.Max(cum, report.CumQty), Math.Max(cum, report.CumQty) * report.AvgPrice);
            // A fill only partly revealed by the status answer reports its new part.
            if (partlyRevealed)
                return [report with { LastQty = report.CumQty - cum, LastPrice = (report.CumQty * report.AvgPrice - notional) / (report.CumQty - cum) }];
        }
        return [report];
    }

    // After a reconnect: the venue restates each order the lane still counts as working.
    private void RequestStatus()
    {
        lock (_sending)
        {
            List<Order> working;
            lock (_gate) working = [.. _working.Values];
            foreach (var order in working)
            {
                if (Session.State != FixSessionState.LoggedOn) return;
                try
                {
                    Session.Send(FixOrderMessages.StatusRequest(order, $"status-{Interlocked.Increment(ref _statusRequests)}"));
                    Interlocked.Increment(ref _sent);
                }
                catch (FixSessionException)
                {
                    return;
                }
            }
        }
    }

    private void Refused(string? clOrdId, string text, bool counted = true)
    {
        Order? order = null;
        lock (_gate)
        {
            if (clOrdId is not null && _working.Remove(_aliases.Original(clOrdId), out var o)) order = o;
        }
        if (order is null)
        {
            if (counted) Arrived(_ => { });
            return;
        }
        var report = new ExecutionReport($"{order.OrderId}/venue-reject", order.OrderId, order.Instrument, _clock?.Invoke() ?? order.Ts, ExecType.Rejected, OrderStatus.Rejected, order.Side,
            0, 0, 0, 0, 0, 0, _options.Venue, "", text);
        if (counted) Arrived(e => e.OnReport(report));
        else Deliver(e => e.OnReport(report));
    }

    private void Flush()
    {
        lock (_sending)
        {
            while (Session.State == FixSessionState.LoggedOn && _waiting.TryPeek(out var command))
            {
                if (!Transmit(command)) return;
                _waiting.Dequeue();
            }
        }
    }

    // Under _sending. False when the session dropped before the message could go (it stays queued for the next logon).
    private bool Transmit(ExecutionCommand command)
    {
        var precision = _options.TimestampPrecision;
        FixOutbound message;
        string id;
        lock (_gate)
        {
            switch (command)
            {
                case SubmitOrder submit:
                    (message, id) = (FixOrderMessages.NewOrderSingle(submit.Order, submit.Order.Ts, precision: precision), submit.Order.OrderId);
                    break;
                case CancelOrder cancel:
                    _aliases.Add(cancel.ClOrdId, cancel.OrigClOrdId);
                    var original = _working.GetValueOrDefault(_aliases.Original(cancel.OrigClOrdId))
                        ?? new Order(cancel.OrigClOrdId, "", cancel.Instrument, cancel.Ts, cancel.Side, OrderType.Limit, TimeInForce.Day, cancel.Quantity, null, null, "", _options.Venue, "", []);
                    (message, id) = (FixOrderMessages.CancelRequest(cancel.ClOrdId, original with { OrderId = cancel.OrigClOrdId }, cancel.Ts, precision: precision), cancel.ClOrdId);
                    break;
                case ReplaceOrder replace:
                    _aliases.Add(replace.ClOrdId, replace.OrigClOrdId);
                    var replaced = _working.GetValueOrDefault(_aliases.Original(replace.OrigClOrdId))
                        ?? new Order(replace.OrigClOrdId, "", replace.Instrument, replace.Ts, replace.Side, OrderType.Limit, TimeInForce.Day, replace.Quantity, replace.LimitPrice, null, "", _options.Venue, "", []);
                    (message, id) = (FixOrderMessages.ReplaceRequest(replace.ClOrdId, replaced with { OrderId = replace.OrigClOrdId }, replace.Ts, replace.Quantity, replace.LimitPrice, precision: precision), replace.ClOrdId);
                    break;
                default:
                    return true;
            }
        }
        int seq;
        try
        {
            seq = Session.Send(message);
        }
        catch (FixSessionException)
        {
            return false;
        }
        // Send returns once the frame is written to the socket (a blocking send on the session's connection).
        if (RecordWireLatency && command is SubmitOrder { Arrival: > 0 } timed) WireLatencies.Add(System.Diagnostics.Stopwatch.GetTimestamp() - timed.Arrival);
        Interlocked.Increment(ref _sent);
        lock (_gate) _sentSeq[seq] = id;
        return true;
    }

    // An application message from the venue: counted for lockstep, then delivered.
    private void Arrived(Action<IExecutionEvents> apply)
    {
        Deliver(apply);
        Interlocked.Increment(ref _received);
        _arrived.Release();
    }

    private void Deliver(Action<IExecutionEvents> apply)
    {
        if (Lockstep) _held.Enqueue(apply);
        else apply(Events);
    }

    private IExecutionEvents Events => _events ?? throw new InvalidOperationException("the FIX venue client was not started");
}
