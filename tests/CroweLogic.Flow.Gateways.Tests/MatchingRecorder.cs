using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Records the matching engine's events for assertions.</summary>
internal sealed class MatchingRecorder : IMatchingListener
{
    public List<OrderRequest> Accepted { get; } = [];
    public List<(long OrderId, RejectReason Reason)> Rejected { get; } = [];
    public List<Fill> Fills { get; } = [];
    public List<(long OrderId, long Quantity, CancelReason Reason)> Canceled { get; } = [];
    public List<(long OrderId, long Quantity)> Reduced { get; } = [];
    public int LevelUpdates { get; private set; }

    /// <summary>Units removed by in-place size reductions (open size before minus after).</summary>
    public long ReducedUnits { get; private set; }

    private readonly Dictionary<long, long> _open = [];

    public void OnAccepted(in OrderRequest order)
    {
        Accepted.Add(order);
        _open[order.OrderId] = order.Quantity;
    }

    public void OnRejected(long orderId, RejectReason reason) => Rejected.Add((orderId, reason));

    public void OnFill(in Fill fill)
    {
        Fills.Add(fill);
        _open[fill.MakerOrderId] -= fill.Quantity;
        _open[fill.TakerOrderId] -= fill.Quantity;
    }

    public void OnCanceled(long orderId, long canceledQuantity, CancelReason reason)
    {
        Canceled.Add((orderId, canceledQuantity, reason));
        _open[orderId] -= canceledQuantity;
    }

    public void OnReduced(long orderId, long newQuantity)
    {
        Reduced.Add((orderId, newQuantity));
        ReducedUnits += _open[orderId] - newQuantity;
        _open[orderId] = newQuantity;
    }
    public void OnLevel(CroweLogic.Flow.Contracts.Events.Side side, long priceTicks, long quantity, int orders) => LevelUpdates++;
}
