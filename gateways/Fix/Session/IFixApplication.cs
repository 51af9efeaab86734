namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// What a session hands to the application. Callbacks run on the session's receive thread while it holds the session:
/// they may send on the same session, and must not block waiting for another thread that sends on it.
/// </summary>
public interface IFixApplication
{
    /// <summary>The session is logged on.</summary>
    void OnLogon(FixSession session)
    {
    }

    /// <summary>The session logged out or disconnected.</summary>
    void OnLogout(FixSession session, string reason)
    {
    }

    /// <summary>Credentials on an incoming Logon (acceptor); false refuses the logon.</summary>
    bool Authenticate(FixSession session, string? username, string? password) => true;

    /// <summary>
    /// An application message, validated and in sequence. Throw <see cref="FixBusinessRejectException"/> to answer it
    /// with a BusinessMessageReject, or <see cref="FixFaultException"/> to answer it as the session answers that fault
    /// (an unsupported message type, a missing or incorrect field).
    /// </summary>
    void FromApp(FixMessage message, FixSession session);

    /// <summary>A session-level message that passed the session's checks, before the session acts on it (a Logon before it is answered).</summary>
    void FromAdmin(FixMessage message, FixSession session)
    {
    }
}

/// <summary>Thrown by an application to reject a message at the business level (35=j).</summary>
/// <param name="reason">BusinessRejectReason (380): 0 other, 1 unknown ID, 2 unknown security, 3 unsupported message type, 4 application not available, 5 conditionally required field missing, 6 not authorized.</param>
/// <param name="message">Text (58).</param>
/// <param name="refTag">The field the reject is about, if any.</param>
public sealed class FixBusinessRejectException(int reason, string message, int refTag = 0) : Exception(message)
{
    /// <summary>BusinessRejectReason (380).</summary>
    public int Reason { get; } = reason;

    /// <summary>Tag the reject refers to (0: none).</summary>
    public int RefTag { get; } = refTag;
}

/// <summary>A session operation that cannot be done in the session's state (e.g. sending before logon).</summary>
public sealed class FixSessionException(string message) : Exception(message);
