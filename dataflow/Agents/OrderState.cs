namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>Where an order is in its life.</summary>
public enum OrderState
{
    /// <summary>Sent, not yet acknowledged.</summary>
    PendingNew,
    /// <summary>Acknowledged and working.</summary>
    New,
    /// <summary>Partly filled and working.</summary>
    PartiallyFilled,
    /// <summary>Completely filled.</summary>
    Filled,
    /// <summary>Cancelled (by us, the venue, or the end of the feed).</summary>
    Canceled,
    /// <summary>Refused by the venue.</summary>
    Rejected,
    /// <summary>Its time in force ran out.</summary>
    Expired,
}
