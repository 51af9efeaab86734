using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>Pre-trade limits every order passes before it leaves the platform.</summary>
/// <param name="MaxQuantity">Largest order quantity.</param>
/// <param name="MaxNotional">Largest order notional (quantity × price).</param>
/// <param name="PriceBand">Largest distance of a limit price from the reference price, as a fraction (0.05 = 5 %).</param>
/// <param name="MaxAdvFraction">Fat-finger guard: largest order as a fraction of average daily volume.</param>
public sealed record PreTradeLimits(double MaxQuantity, double MaxNotional, double PriceBand, double MaxAdvFraction)
{
    /// <summary>Checks an order; every breached limit is named, with the numbers, so the rejection can be audited.</summary>
    /// <param name="order">The order.</param>
    /// <param name="referencePrice">Current reference (mid or last) price.</param>
    /// <param name="averageDailyVolume">ADV of the instrument (0: unknown, the ADV check is skipped).</param>
    public IReadOnlyList<string> Breaches(Order order, double referencePrice, double averageDailyVolume)
    {
        var breaches = new List<string>();
        if (!(order.Quantity > 0) || !double.IsFinite(order.Quantity)) breaches.Add($"quantity {order.Quantity} is not a positive number");
        if (!(referencePrice > 0)) breaches.Add($"no valid reference price ({referencePrice}) to check the order against");
        if (order.Type is OrderType.Limit or OrderType.StopLimit && !(order.LimitPrice > 0)) breaches.Add("a limit order needs a positive limit price");
        if (breaches.Count > 0) return breaches;
        var price = order.LimitPrice ?? referencePrice;
        if (order.Quantity > MaxQuantity) breaches.Add($"quantity {order.Quantity:G} exceeds the maximum {MaxQuantity:G}");
        if (order.Quantity * price > MaxNotional) breaches.Add($"notional {order.Quantity * price:N0} exceeds the maximum {MaxNotional:N0}");
        if (order.LimitPrice is { } limit && Math.Abs(limit / referencePrice - 1) > PriceBand)
            breaches.Add($"limit price {limit:G} is {Percent(Math.Abs(limit / referencePrice - 1))} from the reference {referencePrice:G} (band {Percent(PriceBand)})");
        if (averageDailyVolume > 0 && order.Quantity > MaxAdvFraction * averageDailyVolume)
            breaches.Add($"quantity {order.Quantity:G} is {Percent(order.Quantity / averageDailyVolume)} of ADV {averageDailyVolume:N0} (fat-finger limit {Percent(MaxAdvFraction)})");
        return breaches;
    }

    private static string Percent(double fraction) => $"{fraction * 100:F2}%";
}
