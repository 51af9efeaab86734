using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The spread each fill paid: the distance of its price from the mid when its order arrived, times its quantity (the
/// lane's PnL books it as spread cost). Venues that see the quotes keep one of these.
/// </summary>
public sealed class ArrivalCosts
{
    private readonly Dictionary<string, double> _mid = new(StringComparer.Ordinal);

    /// <summary>An order arrived while the mid was <paramref name="mid"/> (NaN or non-positive: no cost is attributed).</summary>
    public void Arrived(string orderId, double mid)
    {
        if (mid > 0) _mid[orderId] = mid;
    }

    /// <summary>Reports a fill's spread cost to <paramref name="events"/> and forgets orders that are done.</summary>
    public void Reported(ExecutionReport report, IExecutionEvents events)
    {
        if (report.IsFill && _mid.TryGetValue(report.OrderId, out var mid))
            events.OnFillCost(new FillCost(report.ExecId, Math.Abs(report.LastPrice - mid) * report.LastQty, 0));
        if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired) _mid.Remove(report.OrderId);
    }
}
