namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Order state after an execution report (FIX OrdStatus semantics).</summary>
public enum OrderStatus
{
    /// <summary>Sent, not yet acknowledged.</summary>
    PendingNew,
    /// <summary>Acknowledged and working.</summary>
    New,
    /// <summary>Partly filled, rest working.</summary>
    PartiallyFilled,
    /// <summary>Completely filled.</summary>
    Filled,
    /// <summary>Cancel requested, not yet confirmed.</summary>
    PendingCancel,
    /// <summary>Cancelled.</summary>
    Canceled,
    /// <summary>Replaced by a cancel/replace.</summary>
    Replaced,
    /// <summary>Refused by the venue or a pre-trade check.</summary>
    Rejected,
    /// <summary>Expired by its time in force.</summary>
    Expired,
}
