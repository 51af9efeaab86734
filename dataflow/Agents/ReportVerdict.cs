namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>What the order manager made of one execution report.</summary>
public enum ReportVerdict
{
    /// <summary>Booked: a new state or fill of a known order.</summary>
    Accepted,
    /// <summary>An execution id seen before: ignored, nothing counted twice.</summary>
    Duplicate,
    /// <summary>A report older than what the order already shows (a status after a terminal one): its fill, if any, still counts.</summary>
    Stale,
    /// <summary>A report for a client order id the lane never sent: the lane cannot reconcile it.</summary>
    Unknown,
    /// <summary>A fill past the order's quantity, or a cumulative quantity the lane's fills do not add up to.</summary>
    Unreconciled,
}
