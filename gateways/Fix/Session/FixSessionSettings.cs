namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>One FIX session's configuration; names and defaults follow QuickFIX's settings of the same meaning.</summary>
/// <param name="SenderCompId">Our CompID (49 on what we send).</param>
/// <param name="TargetCompId">The counterparty's CompID (56 on what we send).</param>
public sealed record FixSessionSettings(string SenderCompId, string TargetCompId)
{
    /// <summary>BeginString (8): FIX.4.0 … FIX.4.4, or FIXT.1.1 for FIX 5.0 and later.</summary>
    public string BeginString { get; init; } = FixVersion.Fix44;

    /// <summary>Heartbeat interval (108) an initiator proposes; an acceptor uses the initiator's.</summary>
    public int HeartBtIntSeconds { get; init; } = 30;

    /// <summary>Reset both sequence numbers to 1 at every logon (an initiator asks for it with 141=Y).</summary>
    public bool ResetOnLogon { get; init; }

    /// <summary>
    /// An initiator whose store starts empty every time (in memory) asks for a reset (141=Y) when it logs on with both
    /// sequence numbers at 1, so a new process is not refused by a venue that remembers the last one's numbers;
    /// reconnects within the process keep their numbers and resend what was in flight.
    /// </summary>
    public bool ResetWhenFresh { get; init; }

    /// <summary>Reset both sequence numbers to 1 after a logout.</summary>
    public bool ResetOnLogout { get; init; }

    /// <summary>Reset both sequence numbers to 1 whenever the connection ends.</summary>
    public bool ResetOnDisconnect { get; init; }

    /// <summary>Username (553) an initiator sends on Logon.</summary>
    public string? Username { get; init; }

    /// <summary>Password (554) an initiator sends on Logon.</summary>
    public string? Password { get; init; }

    /// <summary>Largest tolerated difference, in whole seconds, between a message's SendingTime and our clock.</summary>
    public TimeSpan MaxLatency { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Whether SendingTime accuracy is checked.</summary>
    public bool CheckLatency { get; init; } = true;

    /// <summary>Whether the CompIDs of each message are checked against the session's.</summary>
    public bool CheckCompId { get; init; } = true;

    /// <summary>
    /// The session's dictionary (the transport dictionary for FIXT) validating every message (null: structure only).
    /// For FIX 4.x it also validates application messages.
    /// </summary>
    public FixDictionary? Dictionary { get; init; } = FixDictionary.Fix44;

    /// <summary>FIXT: application dictionaries by ApplVerID code or version name (7 or FIX.5.0, 8 or FIX.5.0SP1, …).</summary>
    public IReadOnlyDictionary<string, FixDictionary> ApplicationDictionaries { get; init; } = new Dictionary<string, FixDictionary>();

    /// <summary>FIXT: the ApplVerID (code or version name) our application messages default to, sent as 1137 on Logon.</summary>
    public string? DefaultApplVerId { get; init; }

    /// <summary>What validation checks.</summary>
    public FixValidationOptions Validation { get; init; } = FixValidationOptions.Strict;

    /// <summary>Whether BodyLength, CheckSum and the order of the first three fields are checked (a failing frame is ignored).</summary>
    public bool ValidateLengthAndChecksum { get; init; } = true;

    /// <summary>Ask for a resend again even when an earlier ResendRequest still covers the gap.</summary>
    public bool SendRedundantResendRequests { get; init; }

    /// <summary>Keep sent messages so ResendRequests are answered with them (otherwise with a gap fill).</summary>
    public bool PersistMessages { get; init; } = true;

    /// <summary>Fraction digits of SendingTime from FIX 4.2 on (0, 3, 6 or 9).</summary>
    public int TimestampPrecision { get; init; } = 3;

    /// <summary>
    /// Most messages held ahead of a sequence gap while a resend is awaited; a counterparty that sends more is logged out
    /// (QuickFIX holds any number, which lets a peer grow our memory without bound).
    /// </summary>
    public int MaxQueuedMessages { get; init; } = 10_000;

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

    /// <summary>The application dictionary for an ApplVerID (FIX 4.x: the session dictionary; FIXT: configured, or none).</summary>
    public FixDictionary ApplicationDictionary(string? applVerId)
    {
        if (!FixVersion.IsFixt(BeginString)) return Dictionary ?? FixDictionary.Empty;
        if (applVerId is null) return FixDictionary.Empty;
        var code = FixVersion.ToApplVerId(applVerId);
        foreach (var (key, dictionary) in ApplicationDictionaries)
            if (FixVersion.ToApplVerId(key) == code) return dictionary;
        return FixDictionary.Empty;
    }
}
