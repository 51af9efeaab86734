using CroweLogic.Flow.Contracts.Arrow;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>An order sent (or to be sent) to a venue, with the policy and gate reasons that let it through.</summary>
/// <param name="OrderId">Client order id (FIX ClOrdID), unique per order.</param>
/// <param name="ParentOrderId">Parent (algo) order id, empty for a parent.</param>
/// <param name="Instrument">Instrument symbol.</param>
/// <param name="Ts">Creation time, ns UTC.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Order type.</param>
/// <param name="TimeInForce">Time in force.</param>
/// <param name="Quantity">Order quantity (positive).</param>
/// <param name="LimitPrice">Limit price for limit and stop-limit orders.</param>
/// <param name="StopPrice">Stop price for stop orders.</param>
/// <param name="Portfolio">Owning portfolio/account.</param>
/// <param name="Venue">Destination venue.</param>
/// <param name="PolicyId">Policy that produced it.</param>
/// <param name="Reasons">Why each gate passed it, in order ("gate:reason").</param>
public sealed record Order(
    string OrderId, string ParentOrderId, string Instrument, long Ts, Side Side, OrderType Type, TimeInForce TimeInForce,
    double Quantity, double? LimitPrice, double? StopPrice, string Portfolio, string Venue, string PolicyId, IReadOnlyList<string> Reasons)
{
    /// <summary>Content equality (reasons compared element by element).</summary>
    public bool Equals(Order? other) =>
        other is not null && OrderId == other.OrderId && ParentOrderId == other.ParentOrderId && Instrument == other.Instrument && Ts == other.Ts
        && Side == other.Side && Type == other.Type && TimeInForce == other.TimeInForce && Quantity.Equals(other.Quantity)
        && LimitPrice.Equals(other.LimitPrice) && StopPrice.Equals(other.StopPrice) && Portfolio == other.Portfolio && Venue == other.Venue
        && PolicyId == other.PolicyId && Reasons.SequenceEqual(other.Reasons);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(OrderId, Instrument, Ts, Quantity);

    /// <summary>The order schema and its batch conversion.</summary>
    public static ArrowRecordCodec<Order> Arrow { get; } = new("order",
    [
        Col.Utf8<Order>("order_id", r => r.OrderId),
        Col.Utf8<Order>("parent_order_id", r => r.ParentOrderId),
        Col.Utf8<Order>("instrument", r => r.Instrument),
        Col.Time<Order>("ts", r => r.Ts),
        Col.Enum<Order, Side>("side", r => r.Side),
        Col.Enum<Order, OrderType>("order_type", r => r.Type),
        Col.Enum<Order, TimeInForce>("time_in_force", r => r.TimeInForce),
        Col.Float64<Order>("quantity", r => r.Quantity),
        Col.Float64<Order>("limit_price", r => r.LimitPrice),
        Col.Float64<Order>("stop_price", r => r.StopPrice),
        Col.Utf8<Order>("portfolio", r => r.Portfolio),
        Col.Utf8<Order>("venue", r => r.Venue),
        Col.Utf8<Order>("policy_id", r => r.PolicyId),
        Col.Utf8List<Order>("reasons", r => r.Reasons),
    ], r => new Order(r.Utf8(0), r.Utf8(1), r.Utf8(2), r.Int64(3), r.Enum<Side>(4), r.Enum<OrderType>(5), r.Enum<TimeInForce>(6),
        r.Float64(7), r.Float64OrNull(8), r.Float64OrNull(9), r.Utf8(10), r.Utf8(11), r.Utf8(12), r.Utf8List(13)));
}
