using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Venues;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The venue agent: replays each message's accepted market rows into the venue and hands it the router's orders at
/// their event time (an order decided after row r, stamped decision time + latency, reaches the venue before the first
/// row at or after its time), so fills are the same however the feed was cut into batches. The execution desk walks it
/// through a message in steps (<see cref="Begin"/>, <see cref="AdvanceTo"/>, <see cref="Finish"/>) so the router can
/// size each decision against the fills that came before it.
/// </summary>
public sealed class VenueAgent(IExecutionVenue venue)
{
    private readonly PriorityQueue<OrderIntent, (long Ts, long Seq)> _pending = new();
    private long _sequence;
    private LaneMessage? _message;
    private int _row, _feature, _nextOrder;

    /// <summary>The venue.</summary>
    public IExecutionVenue Venue => venue;

    /// <summary>Orders decided but not yet at the venue.</summary>
    public int InFlight => _pending.Count;

    /// <summary>Starts a message.</summary>
    public void Begin(LaneMessage message)
    {
        (_message, _row, _feature, _nextOrder) = (message, 0, 0, 0);
    }

    /// <summary>Replays market rows until the first <paramref name="at"/> feature rows have reached the venue.</summary>
    public void AdvanceTo(int at)
    {
        var message = _message ?? throw new InvalidOperationException("the venue agent has no message: call Begin first");
        if (message.Market is not { } market || message.Features is not { } rows) return;
        var ids = message.Ids;
        var ts = LaneColumns.Int64s(market.Batch, "ts", "the venue agent");
        for (; _row < ids.Length && _feature < at; _row++)
        {
            EnqueueDecided();
            if (ids[_row] < 0) continue;
            var t = ts[_row];
            while (_pending.TryPeek(out var due, out var key) && key.Ts <= t)
            {
                _pending.Dequeue();
                venue.Submit(due, message);
            }
            venue.OnMarket(market, _row, ids[_row], t, message);
            while (_feature < rows.Count && rows.Rows[_feature] <= _row) _feature++;
        }
    }

    /// <summary>Replays the rest of the message; at the end of the feed, submits what is left and closes the venue.</summary>
    public void Finish()
    {
        var message = _message ?? throw new InvalidOperationException("the venue agent has no message: call Begin first");
        AdvanceTo(int.MaxValue);
        _feature = int.MaxValue;
        EnqueueDecided();
        if (message.EndOfFeed)
        {
            while (_pending.TryDequeue(out var order, out _)) venue.Submit(order, message);
            venue.Close(message.LastTs, message);
        }
        _message = null;
    }

    /// <summary>Orders decided at or before the current insertion point join the queue.</summary>
    private void EnqueueDecided()
    {
        var orders = _message!.Orders;
        for (; _nextOrder < orders.Count && orders[_nextOrder].At <= _feature; _nextOrder++)
            _pending.Enqueue(orders[_nextOrder], (orders[_nextOrder].Order.Ts, _sequence++));
    }
}
