namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Order type.</summary>
public enum OrderType
{
    /// <summary>Executes at the best available price.</summary>
    Market,
    /// <summary>Executes at the limit price or better.</summary>
    Limit,
    /// <summary>Becomes a market order once the stop price trades.</summary>
    Stop,
    /// <summary>Becomes a limit order once the stop price trades.</summary>
    StopLimit,
}
