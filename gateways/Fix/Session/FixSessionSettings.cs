namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>One FIX session's configuration.</summary>
/// <param name="SenderCompId">Our CompID (49 on what we send).</param>
/// <param name="TargetCompId">The counterparty's CompID (56 on what we send).</param>
public sealed record FixSessionSettings(string SenderCompId, string TargetCompId)
{
    /// <summary>BeginString (8).</summary>
    public string BeginString { get; init; } = "FIX.4.4";

    /// <summary>Heartbeat interval (108) an initiator proposes; an acceptor uses the initiator's.</summary>
    public int HeartBtIntSeconds { get; init; } = 30;

    /// <summary>Reset both sequence numbers to 1 at every logon (141=Y on our Logon).</summary>
    public bool ResetOnLogon { get; init; }

    /// <summary>Reset both sequence numbers to 1 after a logout.</summary>
    public bool ResetOnLogout { get; init; }

    /// <summary>Username (553) an initiator sends on Logon.</summary>
    public string? Username { get; init; }

    /// <summary>Password (554) an initiator sends on Logon.</summary>
    public string? Password { get; init; }

    /// <summary>Largest tolerated difference between a message's SendingTime and our clock.</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Whether SendingTime accuracy is checked.</summary>
    public bool CheckLatency { get; init; } = true;

    /// <summary>Dictionary used to validate incoming messages (null: no validation beyond the session layer).</summary>
    public FixDictionary? Dictionary { get; init; } = FixDictionary.Fix44;

    /// <summary>Largest frame accepted; longer ones are dropped as garbled.</summary>
    public int MaxMessageSize { get; init; } = 64 * 1024;

    /// <summary>How long an acceptor waits for the first Logon, and an initiator for the Logon reply.</summary>
    public TimeSpan LogonTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the counterparty's Logout reply before disconnecting.</summary>
    public TimeSpan LogoutTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a partially received frame may stay incomplete before the peer is considered a slow-loris and dropped.</summary>
    public TimeSpan PartialFrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>"FIX.4.4:SENDER->TARGET".</summary>
    public string SessionId => $"{BeginString}:{SenderCompId}->{TargetCompId}";
}
