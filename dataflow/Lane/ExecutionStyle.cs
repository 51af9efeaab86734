namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>How an order meets the book, chosen from its forecast's certainty (blueprint §9.3).</summary>
public enum ExecutionStyle
{
    /// <summary>As the policy's algorithm decides (no threshold applied, or between them).</summary>
    Policy,

    /// <summary>Rests at the near touch; an algorithm never crosses to catch up before its window ends.</summary>
    Passive,

    /// <summary>Crosses at once through the touch, not worked over a window.</summary>
    Aggressive,
}
