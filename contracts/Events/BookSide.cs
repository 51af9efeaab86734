namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Side of an order book.</summary>
public enum BookSide
{
    /// <summary>Buy interest.</summary>
    Bid,
    /// <summary>Sell interest.</summary>
    Ask,
}
