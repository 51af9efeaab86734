using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The venue agent: the lane's side of the execution port. It hands each message's accepted market rows to what stands
/// behind the port (replay venues fill against them, algorithms schedule by them) and sends the router's orders at their
/// event time (an order decided after row r, stamped decision time + latency, goes out before the first row at or after
/// its time), so a replay's fills are the same however the feed was cut into batches. Events come back through the
/// <see cref="ExecutionInbox"/> onto the message being processed. The execution desk walks it through a message in
/// steps (<see cref="Begin"/>, <see cref="AdvanceTo"/>, <see cref="Finish"/>) so the router can size each decision
/// against the fills that came before it.
/// </summary>
public sealed class VenueAgent
{
    private readonly IExecutionClient _client;
    private readonly IMarketObserver? _observer;
    private readonly ExecutionInbox _inbox;
    private readonly MarketRows _rows;
    private readonly Func<OrderIntent, ExecutionInstruction?> _instruction;
    private readonly PriorityQueue<OrderIntent, (long Ts, long Seq)> _pending = new();
    private long _sequence;
    private LaneMessage? _message;
    private int _row, _feature, _nextOrder;

    /// <summary>Connects the lane to an execution client.</summary>
    /// <param name="client">What stands behind the port.</param>
    /// <param name="inbox">Where its events come back.</param>
    /// <param name="shape">Ticks or bars (how market rows are read).</param>
    /// <param name="instruction">How each order is to be executed (the policy's algorithm); null sends orders as they are.</param>
    public VenueAgent(IExecutionClient client, ExecutionInbox inbox, MarketShape shape, Func<OrderIntent, ExecutionInstruction?>? instruction = null)
    {
        _client = client;
        _observer = client as IMarketObserver;
        _inbox = inbox;
        _rows = new MarketRows(shape);
        _instruction = instruction ?? (_ => null);
        inbox.Live = client.IsLive;
        client.Start(inbox);
    }

    /// <summary>What stands behind the port.</summary>
    public IExecutionClient Client => _client;

    /// <summary>Orders decided but not yet sent.</summary>
    public int InFlight => _pending.Count;

    /// <summary>Starts a message: events that arrived from a live venue go onto it first.</summary>
    public void Begin(LaneMessage message)
    {
        (_message, _row, _feature, _nextOrder) = (message, 0, 0, 0);
        _inbox.Current = message;
        _inbox.Drain(message);
    }

    /// <summary>Hands market rows over until the first <paramref name="at"/> feature rows have reached the venue.</summary>
    public void AdvanceTo(int at)
    {
        var message = _message ?? throw new InvalidOperationException("the venue agent has no message: call Begin first");
        if (message.Market is not { } market || message.Features is not { } rows)
        {
            // A replay's orders wait for the market time to pass theirs; a live venue gets them at once.
            if (_client.IsLive) SendDecided(long.MaxValue);
            return;
        }
        var ids = message.Ids;
        var ts = LaneColumns.Int64s(market.Batch, "ts", "the venue agent");
        // A replay's orders wait for the market time to pass theirs (the modelled latency); a live venue gets them at once.
        var live = _client.IsLive;
        for (; _row < ids.Length && _feature < at; _row++)
        {
            EnqueueDecided();
            if (ids[_row] < 0) continue;
            var t = ts[_row];
            SendDue(live ? long.MaxValue : t);
            if (_observer is not null) _rows.Deliver(_observer, market.Batch, _row, ids[_row], t);
            _client.AdvanceTo(t);
            while (_feature < rows.Count && rows.Rows[_feature] <= _row) _feature++;
        }
        _inbox.Drain(message);
    }

    /// <summary>
    /// A flatten: orders decided but not yet sent are dropped (reported cancelled, never sent), and every working order
    /// of the lane is cancelled at the venue (an algorithm cancels its parent's children).
    /// </summary>
    public void CancelWorking(long ts, string reason)
    {
        EnqueueDecided();
        while (_pending.TryDequeue(out var unsent, out _))
        {
            var order = unsent.Order;
            _inbox.Orders.Sent(order);
            _inbox.OnReport(new ExecutionReport($"{order.OrderId}/unsent", order.OrderId, order.Instrument, ts, ExecType.Canceled, OrderStatus.Canceled, order.Side,
                0, 0, 0, 0, 0, 0, _client.Venue, "", $"cancelled before it was sent: {reason}"));
        }
        foreach (var (id, instrument, side, leaves) in _inbox.Orders.Open.ToList())
            _client.Send(new CancelOrder($"{id}.flat", id, instrument, side, leaves, ts, reason));
    }

    /// <summary>Hands over the rest of the message; at the end of the feed, sends what is left and closes the venue.</summary>
    public void Finish()
    {
        var message = _message ?? throw new InvalidOperationException("the venue agent has no message: call Begin first");
        AdvanceTo(int.MaxValue);
        _feature = int.MaxValue;
        EnqueueDecided();
        if (_client.IsLive) SendDue(long.MaxValue);
        if (message.EndOfFeed)
        {
            SendDue(long.MaxValue);
            _client.Close(message.LastTs);
        }
        _inbox.Drain(message);
        _inbox.Current = null;
        _message = null;
    }

    private void SendDecided(long until)
    {
        EnqueueDecided();
        SendDue(until);
    }

    private void SendDue(long until)
    {
        while (_pending.TryPeek(out var due, out var key) && key.Ts <= until)
        {
            _pending.Dequeue();
            _inbox.Orders.Sent(due.Order);
            _client.Send(new SubmitOrder(due.Order, due.Id, _instruction(due)) { Arrival = due.TriggerArrival, DecisionPrice = due.DecisionPrice });
        }
    }

    /// <summary>Orders decided at or before the current insertion point join the queue.</summary>
    private void EnqueueDecided()
    {
        var orders = _message!.Orders;
        for (; _nextOrder < orders.Count && orders[_nextOrder].At <= _feature; _nextOrder++)
            _pending.Enqueue(orders[_nextOrder], (orders[_nextOrder].Order.Ts, _sequence++));
    }
}
