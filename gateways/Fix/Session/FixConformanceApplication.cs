namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// The application behind <c>flow fix conformance</c>: echoes NewOrderSingle and SecurityDefinition back to the sender
/// (same MsgType and body) and answers every other application message with a BusinessMessageReject (unsupported
/// message type), so third-party FIX session test suites can exercise our session layer.
/// </summary>
public sealed class FixConformanceApplication : IFixApplication
{
    private readonly FixOutbound _echo = new(FixMsgType.NewOrderSingle);

    /// <summary>Messages echoed so far.</summary>
    public int Echoed { get; private set; }

    /// <inheritdoc />
    public void FromApp(FixMessage message, FixSession session)
    {
        var msgType = message.MsgTypeString;
        if (msgType is not (FixMsgType.NewOrderSingle or FixMsgType.SecurityDefinition))
            throw new FixBusinessRejectException(3, $"MsgType {msgType} is not supported by the conformance acceptor");
        _echo.Reset(msgType);
        for (var i = 0; i < message.FieldCount; i++)
        {
            var field = message.Field(i);
            if (IsEnvelope(field.Tag)) continue;
            _echo.Body.Add(field.Tag, message.ValueOf(field));
        }
        session.Send(_echo);
        Echoed++;
    }

    // Header and trailer fields the session writes itself.
    private static bool IsEnvelope(int tag) => tag is FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.MsgSeqNum or FixTag.SenderCompId
        or FixTag.TargetCompId or FixTag.SendingTime or FixTag.PossDupFlag or FixTag.PossResend or FixTag.OrigSendingTime or FixTag.CheckSum
        or 50 or 57 or 115 or 128 or 142 or 143 or 369 or 93 or 89;
}
