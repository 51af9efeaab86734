using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// A live venue's events, moved onto the lane's thread before <paramref name="handler"/> sees them
/// (<see cref="IExecutionEvents.Post"/>). An algorithm or the router keeps state that the lane's calls (orders, market
/// rows, the clock) change too; handing it the venue's events on the venue's own thread would race them, and locking
/// around calls into a FIX session would deadlock against the session's callbacks.
/// </summary>
/// <param name="handler">Who handles the events (on the lane's thread).</param>
/// <param name="lane">The lane's events, whose <see cref="IExecutionEvents.Post"/> runs work on its thread.</param>
public sealed class LaneThreadEvents(IExecutionEvents handler, Func<IExecutionEvents> lane) : IExecutionEvents
{
    /// <inheritdoc />
    public void OnReport(ExecutionReport report) => lane().Post(() => handler.OnReport(report));

    /// <inheritdoc />
    public void OnCancelRejected(OrderCancelRejected reject) => lane().Post(() => handler.OnCancelRejected(reject));

    /// <inheritdoc />
    public void OnFillCost(FillCost cost) => lane().Post(() => handler.OnFillCost(cost));

    /// <inheritdoc />
    public void OnChildOrder(Order child) => lane().Post(() => handler.OnChildOrder(child));

    /// <inheritdoc />
    public void OnConnection(bool connected, string reason) => lane().Post(() => handler.OnConnection(connected, reason));

    /// <inheritdoc />
    public void Post(Action work) => lane().Post(work);

    /// <summary>The events <paramref name="handler"/> should give a venue: posted when the venue is live, direct otherwise.</summary>
    public static IExecutionEvents For(IExecutionClient venue, IExecutionEvents handler, Func<IExecutionEvents> lane) =>
        venue.IsLive ? new LaneThreadEvents(handler, lane) : handler;
}
