using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Venues;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The venue agent: replays each message's accepted market rows into the venue and hands it the router's orders at
/// their event time (an order decided after row r, stamped decision time + latency, reaches the venue before the first
/// row at or after its time), so fills are the same however the feed was cut into batches.
/// </summary>
public sealed class VenueAgent(IExecutionVenue venue)
{
    private readonly PriorityQueue<OrderIntent, (long Ts, long Seq)> _pending = new();
    private long _sequence;

    /// <summary>The venue.</summary>
    public IExecutionVenue Venue => venue;

    /// <summary>Orders decided but not yet at the venue.</summary>
    public int InFlight => _pending.Count;

    /// <summary>Fills <see cref="LaneMessage.Reports"/> and <see cref="LaneMessage.FillCosts"/>.</summary>
    public void Execute(LaneMessage message)
    {
        var orders = message.Orders;
        var next = 0;
        if (message.Market is not { } market || message.Features is not { } rows)
        {
            foreach (var order in orders) Enqueue(order);
            if (message.EndOfFeed)
            {
                while (_pending.TryDequeue(out var order, out _)) venue.Submit(order, message);
                venue.Close(message.LastTs, message);
            }
            return;
        }
        while (next < orders.Count && orders[next].At == 0) Enqueue(orders[next++]);
        var ts = LaneColumns.Int64s(market.Batch, "ts", "the venue agent");
        var ids = message.Ids;
        var feature = 0;
        for (var row = 0; row < ids.Length; row++)
        {
            if (ids[row] < 0) continue;
            var t = ts[row];
            while (_pending.TryPeek(out var due, out var key) && key.Ts <= t)
            {
                _pending.Dequeue();
                venue.Submit(due, message);
            }
            venue.OnMarket(market, row, ids[row], t, message);
            // Orders decided after this row (insertion point past the feature rows up to here) join the queue now.
            while (feature < rows.Count && rows.Rows[feature] <= row) feature++;
            while (next < orders.Count && orders[next].At <= feature) Enqueue(orders[next++]);
        }
        while (next < orders.Count) Enqueue(orders[next++]);
    }

    private void Enqueue(OrderIntent order) => _pending.Enqueue(order, (order.Order.Ts, _sequence++));
}
