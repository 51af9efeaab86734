using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The lane's order manager: a state machine per ClOrdID (pending new → new → partially filled → filled, or rejected,
/// cancelled, expired), parents and their algorithms' children, every execution id once. It decides which reports the
/// book may take: a duplicate is dropped, a fill for an order the lane never sent or one that would overfill is refused
/// and named, and the venue's cumulative quantity must equal the fills the lane has booked.
/// </summary>
public sealed class OrderManager
{
    private readonly Dictionary<string, ManagedOrder> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _execIds = new(StringComparer.Ordinal);

    /// <summary>Orders not in a terminal state.</summary>
    public int Working { get; private set; }

    /// <summary>Orders known (sent by the lane or by an algorithm for it).</summary>
    public int Count => _orders.Count;

    /// <summary>An order's state, if known.</summary>
    public OrderState? State(string clOrdId) => _orders.TryGetValue(clOrdId, out var order) ? order.State : null;

    /// <summary>Cumulative quantity filled on an order.</summary>
    public double Filled(string clOrdId) => _orders.TryGetValue(clOrdId, out var order) ? order.Filled : 0;

    /// <summary>The lane's working orders (client order id, instrument, side, quantity left), in the order they were sent; an algorithm's children are its own to cancel.</summary>
    public IEnumerable<(string ClOrdId, string Instrument, Side Side, double Leaves)> Open =>
        _orders.Values.Where(o => !o.IsTerminal && o.Parent is null).OrderBy(o => o.Sequence).Select(o => (o.Order.OrderId, o.Order.Instrument, o.Order.Side, o.Order.Quantity - o.Filled));

    /// <summary>The lane sent an order.</summary>
    /// <exception cref="InvalidOperationException">The client order id was used before.</exception>
    public void Sent(Order order)
    {
        if (!_orders.TryAdd(order.OrderId, new ManagedOrder(order, _orders.Count)))
            throw new InvalidOperationException($"client order id {order.OrderId} was used before: every order needs its own");
        Working++;
    }

    /// <summary>An algorithm sent a child of one of the lane's orders.</summary>
    /// <returns>Null when the child is accepted; otherwise why it cannot be.</returns>
    public string? ChildSent(Order child)
    {
        if (!_orders.TryGetValue(child.ParentOrderId, out var parent)) return $"child {child.OrderId} names parent {child.ParentOrderId}, which the lane never sent";
        if (!_orders.TryAdd(child.OrderId, new ManagedOrder(child, _orders.Count) { Parent = parent })) return $"child client order id {child.OrderId} was used before";
        parent.Children++;
        Working++;
        return null;
    }

    /// <summary>Judges and books one report; <paramref name="reason"/> says why when it is not simply accepted.</summary>
    public ReportVerdict Apply(ExecutionReport report, out string reason)
    {
        reason = "";
        if (!_execIds.Add(report.ExecId))
        {
            reason = $"execution report {report.ExecId} for order {report.OrderId} was received before: ignored";
            return ReportVerdict.Duplicate;
        }
        if (!_orders.TryGetValue(report.OrderId, out var order))
        {
            reason = report.IsFill
                ? $"a fill of {Number(report.LastQty)} {report.Instrument} at {Number(report.LastPrice)} (execution {report.ExecId}) names client order id {report.OrderId}, which the lane never sent"
                : $"execution report {report.ExecId} ({report.ExecType}) names client order id {report.OrderId}, which the lane never sent";
            return ReportVerdict.Unknown;
        }
        var stale = false;
        if (report.IsFill)
        {
            var filled = order.Filled + report.LastQty;
            if (filled > order.Order.Quantity * (1 + 1e-9) + 1e-9)
            {
                reason = $"order {order.Order.OrderId} ({order.Order.Side} {Number(order.Order.Quantity)} {order.Order.Instrument}) would be overfilled: " +
                    $"{Number(order.Filled)} filled, then execution {report.ExecId} of {Number(report.LastQty)}";
                return ReportVerdict.Unreconciled;
            }
            order.Filled = filled;
            if (Math.Abs(report.CumQty - filled) > 1e-9 * Math.Max(1, filled) && !order.IsTerminal)
            {
                reason = $"order {order.Order.OrderId}: the venue reports {Number(report.CumQty)} filled (execution {report.ExecId}), the lane's fills add up to {Number(filled)}";
                return ReportVerdict.Unreconciled;
            }
        }
        var next = Next(report.Status);
        // Reports can arrive out of order (a resend, two paths): a state behind the order's is history, not a change.
        if ((order.IsTerminal && next != order.State) || (next is { } behind && Rank(behind) < Rank(order.State))) stale = true;
        else if (next is { } state)
        {
            var wasTerminal = order.IsTerminal;
            order.State = state;
            if (!wasTerminal && order.IsTerminal) Finished(order);
        }
        if (stale) reason = $"execution report {report.ExecId} ({report.Status}) came after order {report.OrderId} was already {order.State}";
        return stale ? ReportVerdict.Stale : ReportVerdict.Accepted;
    }

    // A child's end frees its parent of it; the parent's own state comes from the parent's reports (an algorithm
    // reports its parent's fills and its end on the parent's id).
    private void Finished(ManagedOrder order)
    {
        Working--;
        // An ended order is kept to judge late reports against (its state, quantity and fills), not for its reasons:
        // dropping them keeps a long run's order history from holding every gate line it ever wrote.
        order.Order = order.Order with { Reasons = [] };
        if (order.Parent is { } parent) parent.Children--;
    }

    private static OrderState? Next(OrderStatus status) => status switch
    {
        OrderStatus.New => OrderState.New,
        OrderStatus.PartiallyFilled => OrderState.PartiallyFilled,
        OrderStatus.Filled => OrderState.Filled,
        OrderStatus.Canceled => OrderState.Canceled,
        OrderStatus.Rejected => OrderState.Rejected,
        OrderStatus.Expired => OrderState.Expired,
        _ => null,
    };

    private static int Rank(OrderState state) => state switch
    {
        OrderState.PendingNew => 0,
        OrderState.New => 1,
        OrderState.PartiallyFilled => 2,
        _ => 3,
    };

    private static string Number(double value) => value.ToString("0.########", CultureInfo.InvariantCulture);

    private sealed class ManagedOrder(Order order, int sequence)
    {
        public Order Order { get; set; } = order;

        public int Sequence { get; } = sequence;

        public OrderState State { get; set; } = OrderState.PendingNew;

        public double Filled { get; set; }

        public ManagedOrder? Parent { get; init; }

        public int Children { get; set; }

        public bool IsTerminal => State is OrderState.Filled or OrderState.Canceled or OrderState.Rejected or OrderState.Expired;
    }
}
