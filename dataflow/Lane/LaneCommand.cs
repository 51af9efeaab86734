namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>Operator commands that travel through the lane in order with the data, so replays apply them at the same point.</summary>
public enum LaneCommandKind
{
    /// <summary>Kill switch: flatten everything now and open nothing until <see cref="Resume"/>.</summary>
    Kill,

    /// <summary>Lift a kill or a stand-down.</summary>
    Resume,
}

/// <summary>A command at event time <paramref name="Ts"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Ts">Event time it takes effect.</param>
/// <param name="Reason">Who asked and why (goes to the risk event and the audit log).</param>
public sealed record LaneCommand(LaneCommandKind Kind, long Ts, string Reason);
