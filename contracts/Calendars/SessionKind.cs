namespace CroweLogic.Flow.Contracts.Calendars;

/// <summary>What a row of a calendar's session table stands for.</summary>
public enum SessionKind
{
    /// <summary>A trading date: the market is open from its open to its close.</summary>
    Session,

    /// <summary>A weekday the market is closed (the row spans the local day, so an event on it can be named).</summary>
    Holiday,

    /// <summary>The first date after the calendar's span: events from here on are outside what the calendar defines.</summary>
    End,
}
