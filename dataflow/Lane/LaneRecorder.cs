using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Agents;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>A sink that keeps what the lane produced, in feed order: for tests, parity checks and sinks that write once at the end.</summary>
public class LaneRecorder : ILaneSink
{
    /// <summary>The lane's orders, in the order they were decided.</summary>
    public List<Order> Orders { get; } = [];

    /// <summary>Children an execution algorithm sent to the venue for the lane's orders, in the order they were sent.</summary>
    public List<Order> ChildOrders { get; } = [];

    /// <summary>Venue reports.</summary>
    public List<ExecutionReport> Reports { get; } = [];

    /// <summary>Risk events.</summary>
    public List<RiskEvent> RiskEvents { get; } = [];

    /// <summary>PnL snapshots.</summary>
    public List<PnlSnapshot> Pnl { get; } = [];

    /// <summary>Quarantined events with their message's feed sequence.</summary>
    public List<(long Sequence, QuarantinedEvent Event)> Quarantined { get; } = [];

    /// <summary>Market events seen, by feed sequence (to check nothing was lost or repeated).</summary>
    public List<(long Sequence, int Events, int Accepted)> Messages { get; } = [];

    /// <inheritdoc />
    public virtual void Accept(LaneMessage message)
    {
        Orders.AddRange(message.Orders.Select(o => o.Order));
        ChildOrders.AddRange(message.Children);
        Reports.AddRange(message.Reports);
        RiskEvents.AddRange(message.RiskEvents);
        Pnl.AddRange(message.Pnl);
        var sequence = message.Market?.Sequence ?? -1;
        Quarantined.AddRange(message.Quarantined.Select(q => (sequence, q)));
        if (message.Market is not null) Messages.Add((sequence, message.EventCount, message.Ids.Count(id => id >= 0)));
    }

    /// <inheritdoc />
    public virtual Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
