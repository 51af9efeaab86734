namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>Operator commands that travel through the lane in order with the data, so replays apply them at the same point.</summary>
public enum LaneCommandKind
{
    /// <summary>Kill switch: flatten everything now and open nothing until <see cref="Resume"/>.</summary>
    Kill,

    /// <summary>Lift a kill or a stand-down.</summary>
    Resume,

    /// <summary>
    /// A live feed lost data (a sequence hole, a dropped connection, a malformed message, a silent feed): recorded as a
    /// risk event, and with the policy's <c>stand_down.on_data_gap</c> the lane goes flat until the feed is whole again.
    /// </summary>
    FeedGap,

    /// <summary>A live feed is whole again (every instrument rebuilt from a snapshot): lifts what <see cref="FeedGap"/> did.</summary>
    FeedSynchronised,

    /// <summary>A live feed cannot go on (a refused subscription): the lane stands down until resumed.</summary>
    FeedLost,
}

/// <summary>A command at event time <paramref name="Ts"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Ts">Event time it takes effect.</param>
/// <param name="Reason">Who asked and why (goes to the risk event and the audit log).</param>
public sealed record LaneCommand(LaneCommandKind Kind, long Ts, string Reason);
