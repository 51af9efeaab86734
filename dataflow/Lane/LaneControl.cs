namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Out-of-band control of a running lane: the operator's kill switch, and the stand-down any failing agent raises.
/// The risk overlay agent reads it on every message and flattens at that message's first event.
/// </summary>
public sealed class LaneControl
{
    private volatile string? _kill;
    private volatile string? _standDown;

    /// <summary>Why the kill switch is engaged, or null.</summary>
    public string? KillReason => _kill;

    /// <summary>Why the lane stands down, or null.</summary>
    public string? StandDownReason => _standDown;

    /// <summary>Engages the kill switch.</summary>
    public void Kill(string reason) => _kill = reason;

    /// <summary>Puts the lane into stand-down (kept until <see cref="Resume"/>).</summary>
    public void StandDown(string reason) => _standDown ??= reason;

    /// <summary>Lifts the kill switch and stand-down.</summary>
    public void Resume() => (_kill, _standDown) = (null, null);
}
