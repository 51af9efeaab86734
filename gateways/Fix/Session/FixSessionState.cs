namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>Where a session is in its life cycle.</summary>
public enum FixSessionState
{
    /// <summary>No connection.</summary>
    Disconnected,
    /// <summary>Connected; Logon sent (initiator) or awaited (acceptor).</summary>
    AwaitingLogon,
    /// <summary>Logged on: application messages flow.</summary>
    LoggedOn,
    /// <summary>We sent Logout and await the reply.</summary>
    LogoutSent,
}
