using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Where execution events enter the lane. A replay venue produces them while the execution desk steps it, and they go
/// onto the message being processed at once (event time); a live venue produces them on its own thread, so they wait
/// here and a wake-up message carries them through the lane (arrival order), even when no market data comes. Every
/// report passes the <see cref="OrderManager"/>: duplicates are dropped with a note, and a report the lane cannot
/// reconcile stands the lane down naming the order.
/// </summary>
public sealed class ExecutionInbox(OrderManager orders, LaneControl control, string policyId) : IExecutionEvents
{
    private readonly ConcurrentQueue<Action<LaneMessage>> _waiting = new();
    private Action? _wake;
    private int _wakePending;

    /// <summary>The message the desk is processing (replay events go onto it).</summary>
    public LaneMessage? Current { get; set; }

    /// <summary>Whether the client behind the port delivers events from its own thread.</summary>
    public bool Live { get; set; }

    /// <summary>The order manager.</summary>
    public OrderManager Orders => orders;

    /// <summary>How to get a message through the lane when live events wait (the graph posts one).</summary>
    public void OnWake(Action wake) => _wake = wake;

    /// <inheritdoc />
    public void OnReport(ExecutionReport report) => Deliver(m => Book(report, m));

    /// <inheritdoc />
    public void OnCancelRejected(OrderCancelRejected reject) => Deliver(m => m.RiskEvents.Add(new RiskEvent(
        $"execution:cancel_rejected:{reject.ClOrdId}", m.LastTs, "execution", RiskSeverity.Warning, "cancel_rejected", "", policyId, null, null,
        $"the venue refused to cancel or replace {reject.OrigClOrdId} (request {reject.ClOrdId}, reason {reject.Reason}): {reject.Text}")));

    /// <inheritdoc />
    public void OnFillCost(FillCost cost) => Deliver(m => m.FillCosts.Add(cost));

    /// <inheritdoc />
    public void OnChildOrder(Order child) => Deliver(m =>
    {
        if (orders.ChildSent(child) is { } problem) Unreconciled(m, child.OrderId, child.Ts, problem);
        else m.Children.Add(child);
    });

    /// <inheritdoc />
    public void OnConnection(bool connected, string reason) => Deliver(m => m.RiskEvents.Add(new RiskEvent(
        $"execution:connection:{(connected ? "up" : "down")}:{m.LastTs}", m.LastTs, "execution", connected ? RiskSeverity.Info : RiskSeverity.Warning,
        connected ? "venue_connected" : "venue_disconnected", "", policyId, null, null, reason)));

    /// <inheritdoc />
    public void Post(Action work) => Deliver(_ => work());

    /// <summary>Moves events that arrived from a live venue onto the message being processed.</summary>
    public void Drain(LaneMessage message)
    {
        Interlocked.Exchange(ref _wakePending, 0);
        while (_waiting.TryDequeue(out var apply)) apply(message);
    }

    private void Deliver(Action<LaneMessage> apply)
    {
        if (!Live)
        {
            apply(Current ?? throw new InvalidOperationException("a replay venue delivered an event outside the lane's execution step"));
            return;
        }
        _waiting.Enqueue(apply);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0) _wake?.Invoke();
    }

    private void Book(ExecutionReport report, LaneMessage message)
    {
        switch (orders.Apply(report, out var reason))
        {
            case ReportVerdict.Accepted:
                message.Reports.Add(report);
                break;
            case ReportVerdict.Stale:
                message.Reports.Add(report);
                message.RiskEvents.Add(new RiskEvent($"execution:stale:{report.ExecId}", report.Ts, "execution", RiskSeverity.Info, "stale_report", report.Instrument, policyId, null, null, reason));
                break;
            case ReportVerdict.Duplicate:
                message.RiskEvents.Add(new RiskEvent($"execution:duplicate:{report.ExecId}", report.Ts, "execution", RiskSeverity.Info, "duplicate_report", report.Instrument, policyId, null, null, reason));
                break;
            default:
                Unreconciled(message, report.OrderId, report.Ts, reason);
                break;
        }
    }

    private void Unreconciled(LaneMessage message, string orderId, long ts, string reason)
    {
        control.StandDown($"execution: {reason}");
        message.RiskEvents.Add(new RiskEvent($"execution:unreconciled:{orderId}:{ts}", ts, "execution", RiskSeverity.Critical, "unreconciled", "", policyId, null, null,
            reason + " — the lane cannot reconcile its positions with the venue and stands down"));
    }
}
