namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Kind of change to one price level of an L2 book.</summary>
public enum BookAction
{
    /// <summary>Level from a full snapshot.</summary>
    Snapshot,
    /// <summary>Level added or its size changed.</summary>
    Upsert,
    /// <summary>Level removed.</summary>
    Delete,
    /// <summary>Whole book cleared.</summary>
    Clear,
}
