namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Time in force.</summary>
public enum TimeInForce
{
    /// <summary>Expires at the end of the session.</summary>
    Day,
    /// <summary>Good till cancelled.</summary>
    Gtc,
    /// <summary>Immediate or cancel: what does not fill at once is cancelled.</summary>
    Ioc,
    /// <summary>Fill or kill: fills completely at once or not at all.</summary>
    Fok,
    /// <summary>Day order that must rest; rejected instead of taking liquidity.</summary>
    PostOnly,
}
