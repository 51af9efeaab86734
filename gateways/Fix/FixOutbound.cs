namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// An application message to send: its MsgType and body fields. The session adds the header (sequence number, CompIDs,
/// SendingTime) and the trailer. Reusable: <see cref="Reset"/> keeps the buffer.
/// </summary>
public sealed class FixOutbound
{
    /// <summary>A message of the given MsgType.</summary>
    public FixOutbound(string msgType) => MsgType = msgType;

    /// <summary>MsgType (35).</summary>
    public string MsgType { get; private set; }

    /// <summary>The body fields.</summary>
    public FixFieldWriter Body { get; } = new();

    /// <summary>Starts over with another MsgType.</summary>
    public FixOutbound Reset(string msgType)
    {
        MsgType = msgType;
        Body.Clear();
        return this;
    }
}
