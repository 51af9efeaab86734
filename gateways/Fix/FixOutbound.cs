namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// An application message to send: its MsgType, body fields, and optionally extra header fields (routing, PossResend,
/// ApplVerID, …) and trailer fields. The session writes BeginString, BodyLength, MsgSeqNum, the CompIDs and SendingTime
/// itself, sorts the header as QuickFIX does, and appends the CheckSum. Reusable: <see cref="Reset"/> keeps the buffers.
/// </summary>
public sealed class FixOutbound
{
    private FixFieldWriter? _header;
    private FixFieldWriter? _trailer;

    /// <summary>A message of the given MsgType.</summary>
    public FixOutbound(string msgType) => MsgType = msgType;

    /// <summary>MsgType (35).</summary>
    public string MsgType { get; private set; }

    /// <summary>The body fields, in the order they go on the wire.</summary>
    public FixFieldWriter Body { get; } = new();

    /// <summary>Extra header fields (any order: the session sorts the header).</summary>
    public FixFieldWriter Header => _header ??= new FixFieldWriter();

    /// <summary>Trailer fields before the CheckSum (SignatureLength, Signature).</summary>
    public FixFieldWriter Trailer => _trailer ??= new FixFieldWriter();

    /// <summary>Header fields written, empty when none.</summary>
    public ReadOnlySpan<byte> HeaderFields => _header is null ? default : _header.Written;

    /// <summary>Trailer fields written, empty when none.</summary>
    public ReadOnlySpan<byte> TrailerFields => _trailer is null ? default : _trailer.Written;

    /// <summary>Starts over with another MsgType.</summary>
    public FixOutbound Reset(string msgType)
    {
        MsgType = msgType;
        Body.Clear();
        _header?.Clear();
        _trailer?.Clear();
        return this;
    }
}
