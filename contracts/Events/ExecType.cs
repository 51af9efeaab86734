namespace CroweLogic.Flow.Contracts.Events;

/// <summary>What an execution report reports (FIX ExecType semantics).</summary>
public enum ExecType
{
    /// <summary>Order accepted.</summary>
    New,
    /// <summary>A fill.</summary>
    Trade,
    /// <summary>Order cancelled.</summary>
    Canceled,
    /// <summary>Order replaced.</summary>
    Replaced,
    /// <summary>Order rejected.</summary>
    Rejected,
    /// <summary>Order expired.</summary>
    Expired,
    /// <summary>Cancel pending.</summary>
    PendingCancel,
    /// <summary>Acceptance pending.</summary>
    PendingNew,
    /// <summary>Order restated by the venue.</summary>
    Restated,
    /// <summary>The venue's answer to a status request (FIX ExecType I): the order's state, no change to it.</summary>
    OrderStatus,
}
