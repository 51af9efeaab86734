using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>An order as the router sent it, with what attribution needs: the decision price and when the trigger arrived.</summary>
/// <param name="Order">The order.</param>
/// <param name="Id">Instrument id.</param>
/// <param name="DecisionPrice">Mark at the decision (arrival price for slippage).</param>
/// <param name="TriggerArrival">Stopwatch timestamp when the triggering batch reached the lane.</param>
public sealed record OrderIntent(Order Order, int Id, double DecisionPrice, long TriggerArrival)
{
    /// <summary>Insertion point among the message's feature rows where the order was decided.</summary>
    public int At { get; init; }

    /// <summary>A closing order of a flatten: it goes to the venue as it is, not worked by the policy's algorithm.</summary>
    public bool Urgent { get; init; }

    /// <summary>How the order meets the book, from its forecast's |μ|/σ and the policy's thresholds.</summary>
    public ExecutionStyle Style { get; init; }
}
