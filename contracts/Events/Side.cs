namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Order or trade direction.</summary>
public enum Side
{
    /// <summary>Buy side.</summary>
    Buy,
    /// <summary>Sell side.</summary>
    Sell,
}
