namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// The application behind <c>flow fix conformance</c>, doing what QuickFIX's acceptance-test application does so that
/// QuickFIX's own acceptance suite (and other session test suites) can judge our session layer: NewOrderSingle is
/// echoed back (a PossResend=Y order already seen on the session is dropped), SecurityDefinition (FIX 4.2 and later)
/// and Email are echoed, every other application message is answered as an unsupported message type, and a FIXT
/// Logon's DefaultApplVerID becomes the one we send. Echoes keep the header's routing and other fields and are
/// written in QuickFIX's field order, groups included. One instance may serve many sessions at once: each session's
/// callbacks run on its own connection's thread, so state is per session.
/// </summary>
public sealed class FixConformanceApplication : IFixApplication
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<FixSession, (FixOutbound Echo, HashSet<string> Orders)> _sessions = new();
    private int _echoed;

    /// <summary>Messages echoed so far.</summary>
    public int Echoed => Volatile.Read(ref _echoed);

    /// <inheritdoc />
    public void OnLogout(FixSession session, string reason) => State(session).Orders.Clear();

    private (FixOutbound Echo, HashSet<string> Orders) State(FixSession session) =>
        _sessions.GetOrAdd(session, _ => (new FixOutbound(FixMsgType.NewOrderSingle), []));

    /// <inheritdoc />
    public void FromAdmin(FixMessage message, FixSession session)
    {
        if (session.IsFixt && message.MsgTypeString == FixMsgType.Logon && message.GetString(FixTag.DefaultApplVerId) is { } applVerId)
            session.SenderDefaultApplVerId = applVerId;
    }

    /// <inheritdoc />
    public void FromApp(FixMessage message, FixSession session)
    {
        var msgType = message.MsgTypeString;
        var fromFix42 = session.IsFixt || FixVersion.Compare(session.Settings.BeginString, FixVersion.Fix42) >= 0;
        switch (msgType)
        {
            case "C":
                Echo(message, session);
                return;
            case FixMsgType.NewOrderSingle:
                if (!message.Body.TryGet(FixTag.ClOrdId, out var clOrdId)) throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.ClOrdId));
                var key = System.Text.Encoding.Latin1.GetString(message.ValueOf(clOrdId));
                var possResend = message.Header.TryGet(FixTag.PossResend, out var flag) && message.ValueOf(flag) is [(byte)'Y'];
                if (!State(session).Orders.Add(key) && possResend) return;
                Echo(message, session);
                return;
            case FixMsgType.SecurityDefinition when fromFix42:
                Echo(message, session);
                return;
            default:
                throw new FixFaultException(new FixFault(FixFaultKind.UnsupportedMessageType), $"MsgType {msgType} is not supported by the conformance acceptor");
        }
    }

    private void Echo(FixMessage message, FixSession session)
    {
        var echo = State(session).Echo;
        echo.Reset(message.MsgTypeString);
        var header = message.Header;
        for (var i = 0; i < header.Count; i++)
        {
            var field = header[i];
            if (field.Tag is FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.PossDupFlag or FixTag.OrigSendingTime) continue;
            echo.Header.Add(field.Tag, message.ValueOf(field));
        }
        Write(message, message.Body, echo.Body);
        var trailer = message.Trailer;
        for (var i = 0; i < trailer.Count; i++)
            if (trailer[i].Tag != FixTag.CheckSum) echo.Trailer.Add(trailer[i].Tag, message.ValueOf(trailer[i]));
        session.Send(echo);
        Interlocked.Increment(ref _echoed);
    }

    // A field map in its order, each count field followed by its entries.
    private static void Write(FixMessage message, FixFieldMap map, FixFieldWriter writer)
    {
        for (var i = 0; i < map.Count; i++)
        {
            var field = map[i];
            writer.Add(field.Tag, message.ValueOf(field));
            foreach (var entry in map.Group(field.Tag)) Write(message, entry, writer);
        }
    }
}
