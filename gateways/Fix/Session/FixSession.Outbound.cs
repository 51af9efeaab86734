using System.Text;

namespace CroweLogic.Flow.Gateways.Fix.Session;

public sealed partial class FixSession
{
    private readonly FixFieldWriter _frame = new(framed: true);
    private readonly FixFieldWriter _body = new();
    private readonly FixFieldWriter _extras = new();
    private readonly FixFieldWriter _headerFields = new();
    private readonly FixMessage _stored = new();
    private (int Tag, int Offset, int Length)[] _entries = new (int, int, int)[16];

    private int TimestampPrecision => FixVersion.HasMilliseconds(Settings.BeginString) ? Settings.TimestampPrecision : 0;

    private bool ShouldSendReset() =>
        FixVersion.Compare(Settings.BeginString, FixVersion.Fix41) >= 0
        && (Settings.ResetOnLogon || Settings.ResetOnLogout || Settings.ResetOnDisconnect || (IsInitiator && Settings.ResetWhenFresh))
        && _store.NextSenderSeqNum == 1 && _store.NextTargetSeqNum == 1;

    // Timer work of a logged-on session (QuickFIX's Session::next()).
    private void Next()
    {
        if (!_receivedLogon)
        {
            if (IsInitiator && !_sentLogon) GenerateLogon();
            else if (IsInitiator && ElapsedSince(_lastReceived) >= (long)Settings.LogonTimeout.TotalSeconds)
                Disconnect("Timed out waiting for logon response");
            return;
        }
        if (HeartBtInt == 0) return;
        if (_sentLogout && ElapsedSince(_lastSent) >= (long)Settings.LogoutTimeout.TotalSeconds)
        {
            Disconnect("Timed out waiting for logout response");
            return;
        }
        var sinceSent = ElapsedSince(_lastSent);
        var sinceReceived = ElapsedSince(_lastReceived);
        if (sinceSent < HeartBtInt && sinceReceived < HeartBtInt) return;
        if (sinceReceived >= 2.4 * HeartBtInt) Disconnect($"Timed out waiting for heartbeat: nothing received for {sinceReceived} s (HeartBtInt {HeartBtInt} s)");
        else if (sinceReceived >= 1.2 * (_testRequest + 1) * HeartBtInt)
        {
            GenerateTestRequest("TEST");
            _testRequest++;
            _log.Event(Id, $"Sent test request TEST: nothing received for {sinceReceived} s");
        }
        else if (sinceSent >= HeartBtInt && _testRequest == 0) GenerateHeartbeat(null);
    }

    private void GenerateLogon()
    {
        if (Settings.ResetOnLogon) _store.Reset();
        var reset = ShouldSendReset();
        _body.Clear().Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, HeartBtInt);
        if (reset) _body.Add(FixTag.ResetSeqNumFlag, true);
        if (Settings.Username is { } user) _body.Add(FixTag.Username, user);
        if (Settings.Password is { } password) _body.Add(FixTag.Password, password);
        if (IsFixt) _body.Add(FixTag.DefaultApplVerId, SenderDefaultApplVerId);
        _lastReceived = Now;
        _testRequest = 0;
        _sentLogon = true;
        SendRaw(FixMsgType.Logon, default, _body.Written, default, 0, resetRequested: reset);
    }

    private void GenerateLogonResponse(FixMessage logon)
    {
        if (!logon.Body.TryGet(FixTag.HeartBtInt, out var hb) || !FixValues.TryParseInt(logon.ValueOf(hb), out var heartBtInt))
            throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.HeartBtInt));
        _body.Clear().Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, heartBtInt);
        if (_receivedReset) _body.Add(FixTag.ResetSeqNumFlag, true);
        if (IsFixt) _body.Add(FixTag.DefaultApplVerId, SenderDefaultApplVerId);
        SendRaw(FixMsgType.Logon, default, _body.Written, default, 0);
        _sentLogon = true;
    }

    private void GenerateResendRequest(string beginString, int seq)
    {
        var begin = _store.NextTargetSeqNum;
        var end = FixVersion.Compare(beginString, FixVersion.Fix42) >= 0 ? 0 : FixVersion.Compare(beginString, FixVersion.Fix41) <= 0 ? 999999 : seq - 1;
        _body.Clear().Add(FixTag.BeginSeqNo, begin).Add(FixTag.EndSeqNo, end);
        SendRaw(FixMsgType.ResendRequest, default, _body.Written, default, 0);
        _log.Event(Id, $"Sent ResendRequest FROM: {begin} TO: {end}");
        _resendRange = (begin, seq - 1);
    }

    private void GenerateSequenceReset(int begin, int newSeqNo)
    {
        _extras.Clear().Add(FixTag.PossDupFlag, true).AddTimestamp(FixTag.OrigSendingTime, Now, TimestampPrecision);
        _body.Clear().Add(FixTag.NewSeqNo, newSeqNo).Add(FixTag.GapFillFlag, true);
        SendRaw(FixMsgType.SequenceReset, _extras.Written, _body.Written, default, begin);
        _log.Event(Id, $"Sent SequenceReset TO: {newSeqNo}");
    }

    private void GenerateHeartbeat(FixMessage? testRequest)
    {
        _body.Clear();
        if (testRequest is not null && testRequest.Body.TryGet(FixTag.TestReqId, out var id)) _body.Add(FixTag.TestReqId, testRequest.ValueOf(id));
        SendRaw(FixMsgType.Heartbeat, default, _body.Written, default, 0);
    }

    private void GenerateTestRequest(string id)
    {
        _body.Clear().Add(FixTag.TestReqId, id);
        SendRaw(FixMsgType.TestRequest, default, _body.Written, default, 0);
    }

    private void GenerateLogout(string text)
    {
        _body.Clear();
        if (text.Length > 0) _body.Add(FixTag.Text, text);
        SendRaw(FixMsgType.Logout, default, _body.Written, default, 0);
        _sentLogout = true;
    }

    private void GenerateReject(FixMessage message, SessionRejectReason reason, int field)
    {
        var version = Settings.BeginString;
        ReverseRoute(message);
        var msgType = message.Header.TryGet(FixTag.MsgType, out var typeField) ? Encoding.Latin1.GetString(message.ValueOf(typeField)) : "";
        var refSeq = RefSeqNum(message);
        _body.Clear();
        if (refSeq is { } seq) _body.Add(FixTag.RefSeqNum, seq);
        var text = RejectText(reason);
        var withTag = text is not null && (field != 0 || reason == SessionRejectReason.InvalidTagNumber);
        var laterThan41 = FixVersion.Compare(version, FixVersion.Fix42) >= 0;
        if (withTag && laterThan41)
        {
            _body.Add(FixTag.Text, text!).Add(FixTag.RefTagId, field);
        }
        else if (withTag) _body.Add(FixTag.Text, $"{text} ({field})");
        else if (text is not null) _body.Add(FixTag.Text, text);
        if (laterThan41)
        {
            if (msgType.Length > 0) _body.Add(FixTag.RefMsgType, msgType);
            if ((version == FixVersion.Fix42 && (int)reason <= (int)SessionRejectReason.InvalidMsgType) || FixVersion.Compare(version, FixVersion.Fix42) > 0)
                _body.Add(FixTag.SessionRejectReason, (int)reason);
        }
        if (msgType is not (FixMsgType.Logon or FixMsgType.SequenceReset) && refSeq == _store.NextTargetSeqNum) _store.NextTargetSeqNum++;
        _log.Event(Id, $"Message {refSeq} Rejected: {text}{(withTag ? $":{field}" : "")}");
        if (!_receivedLogon) throw new ConnectionFault("Tried to send a reject while not logged on");
        SendRaw(FixMsgType.Reject, _extras.Written, _body.Written, default, 0);
    }

    // A Reject with only a text (how FIX 4.0 and 4.1 refuse an unsupported message type).
    private void GenerateReject(FixMessage message, string text)
    {
        ReverseRoute(message);
        var msgType = message.MsgTypeString;
        var refSeq = RefSeqNum(message) ?? throw new ConnectionFault("the rejected message has no MsgSeqNum (34)");
        _body.Clear().Add(FixTag.RefSeqNum, refSeq).Add(FixTag.Text, text);
        if (FixVersion.Compare(Settings.BeginString, FixVersion.Fix42) >= 0) _body.Add(FixTag.RefMsgType, msgType);
        if (msgType is not (FixMsgType.Logon or FixMsgType.SequenceReset)) _store.NextTargetSeqNum++;
        SendRaw(FixMsgType.Reject, _extras.Written, _body.Written, default, 0);
        _log.Event(Id, $"Message {refSeq} Rejected: {text}");
    }

    private void GenerateBusinessReject(FixMessage message, int reason, int field, string? text = null)
    {
        var standard = BusinessRejectText(reason);
        if (FixVersion.Compare(Settings.BeginString, FixVersion.Fix42) < 0)
        {
            // BusinessMessageReject exists from FIX 4.2; before it the answer is a Reject with the reason as text.
            GenerateReject(message, text ?? standard ?? "Business message rejected");
            return;
        }
        var msgType = message.MsgTypeString;
        var refSeq = RefSeqNum(message) ?? throw new ConnectionFault("the rejected message has no MsgSeqNum (34)");
        var reasonText = text ?? standard;
        _body.Clear().Add(FixTag.RefSeqNum, refSeq);
        if (reasonText is not null) _body.Add(FixTag.Text, field != 0 ? $"{reasonText} ({field})" : reasonText);
        _body.Add(FixTag.RefMsgType, msgType).Add(FixTag.BusinessRejectReason, reason);
        if (IsFixt) _body.Add(FixTag.DefaultApplVerId, SenderDefaultApplVerId);
        _store.NextTargetSeqNum++;
        _log.Event(Id, $"Message {refSeq} Rejected: {reasonText}{(field != 0 ? $":{field}" : "")}");
        SendRaw(FixMsgType.BusinessMessageReject, default, _body.Written, default, 0);
    }

    private static int? RefSeqNum(FixMessage message)
    {
        if (!message.Header.TryGet(FixTag.MsgSeqNum, out var field)) return null;
        if (!FixValues.TryParseInt(message.ValueOf(field), out var seq)) throw new ConnectionFault("the rejected message's MsgSeqNum (34) is not a number");
        return seq;
    }

    // Routing fields answer back along the route they came (QuickFIX's reverseRoute): OnBehalfOf becomes DeliverTo.
    private void ReverseRoute(FixMessage message)
    {
        _extras.Clear();
        var header = message.Header;
        void Swap(int from, int to)
        {
            if (header.TryGet(from, out var field) && field.Length > 0) _extras.Add(to, message.ValueOf(field));
        }
        if (header.TryGet(FixTag.BeginString, out var begin) && FixVersion.Compare(Encoding.Latin1.GetString(message.ValueOf(begin)), FixVersion.Fix41) >= 0)
        {
            Swap(FixTag.OnBehalfOfLocationId, FixTag.DeliverToLocationId);
            Swap(FixTag.DeliverToLocationId, FixTag.OnBehalfOfLocationId);
        }
        Swap(FixTag.OnBehalfOfCompId, FixTag.DeliverToCompId);
        Swap(FixTag.OnBehalfOfSubId, FixTag.DeliverToSubId);
        Swap(FixTag.DeliverToCompId, FixTag.OnBehalfOfCompId);
        Swap(FixTag.DeliverToSubId, FixTag.OnBehalfOfSubId);
    }

    // Answers a ResendRequest from the store: application messages again with PossDup, admin ones and holes as gap fills.
    private void Resend(int begin, int end)
    {
        int msgSeqNum = 0, gapStart = 0, current = begin;
        foreach (var (_, frame) in _store.Get(begin, end))
        {
            var stored = _stored.Load(frame, _sessionDictionary, null, validate: false);
            msgSeqNum = HeaderInt(stored, FixTag.MsgSeqNum);
            if (current != msgSeqNum && gapStart == 0) gapStart = current;
            if (FixMsgType.IsAdmin(stored.MsgType))
            {
                if (gapStart == 0) gapStart = msgSeqNum;
            }
            else
            {
                if (gapStart != 0) GenerateSequenceReset(gapStart, msgSeqNum);
                WriteResent(stored);
                _log.Event(Id, $"Resending Message: {msgSeqNum}");
                gapStart = 0;
            }
            current = msgSeqNum + 1;
        }
        if (gapStart != 0) GenerateSequenceReset(gapStart, msgSeqNum + 1);
        if (end > msgSeqNum) GenerateSequenceReset(begin, Math.Min(end + 1, _store.NextSenderSeqNum));
    }

    private void WriteResent(FixMessage stored)
    {
        var original = stored.TryGetTimestamp(FixTag.SendingTime, out var sent) ? sent : Now;
        _headerFields.Clear().Add(FixTag.PossDupFlag, true).AddTimestamp(FixTag.SendingTime, Now, TimestampPrecision).AddTimestamp(FixTag.OrigSendingTime, original, TimestampPrecision);
        var bodyStart = -1;
        var checksumStart = stored.Raw.Length;
        for (var i = 0; i < stored.FieldCount; i++)
        {
            var field = stored.Field(i);
            if (field.Tag == FixTag.CheckSum)
            {
                checksumStart = field.Start;
                break;
            }
            if (bodyStart < 0 && !FixMessage.IsHeaderField(field.Tag, _sessionDictionary)) bodyStart = field.Start;
            if (bodyStart >= 0) continue;
            if (field.Tag is FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.PossDupFlag or FixTag.SendingTime or FixTag.OrigSendingTime) continue;
            _headerFields.AddRaw(stored.Raw.Slice(field.Start, field.WireLength));
        }
        _frame.Clear().Add(FixTag.MsgType, stored.MsgType);
        WriteSortedHeader();
        if (bodyStart >= 0) _frame.AddRaw(stored.Raw[bodyStart..checksumStart]);
        Write(_frame.Complete(Settings.BeginString));
    }

    // Builds, stores and sends a message the way QuickFIX's sendRaw does; returns its MsgSeqNum (0 when not sent).
    private int SendRaw(string msgType, ReadOnlySpan<byte> extraHeader, ReadOnlySpan<byte> body, ReadOnlySpan<byte> trailer, int num, bool resetRequested = false)
    {
        var now = Now;
        _lastSent = now;
        var admin = msgType.Length == 1 && msgType[0] is '0' or '1' or '2' or '3' or '4' or '5' or 'A';
        if (!admin && !LoggedOn && ShouldSendReset()) return 0;
        if (msgType == FixMsgType.Logon && !_receivedReset)
        {
            if (resetRequested) _store.Reset();
            _sentReset = resetRequested;
        }
        var seq = num != 0 ? num : _store.NextSenderSeqNum;
        _headerFields.Clear().Add(FixTag.MsgSeqNum, seq).Add(FixTag.SenderCompId, Settings.SenderCompId)
            .AddTimestamp(FixTag.SendingTime, now, TimestampPrecision).Add(FixTag.TargetCompId, Settings.TargetCompId);
        AppendExtraHeader(extraHeader);
        _frame.Clear().Add(FixTag.MsgType, msgType);
        WriteSortedHeader();
        _frame.AddRaw(body).AddRaw(trailer);
        var frame = _frame.Complete(Settings.BeginString);
        if (num == 0)
        {
            if (Settings.PersistMessages) _store.Save(seq, frame);
            _store.NextSenderSeqNum = seq + 1;
        }
        var send = admin ? msgType is FixMsgType.Logon or FixMsgType.Logout or FixMsgType.ResendRequest or FixMsgType.SequenceReset || LoggedOn : LoggedOn;
        if (send) Write(frame);
        return seq;
    }

    // Extra header fields the caller gave, minus those the session writes itself.
    private void AppendExtraHeader(ReadOnlySpan<byte> fields)
    {
        while (fields.Length > 0)
        {
            var end = fields.IndexOf((byte)1);
            if (end < 0) end = fields.Length - 1;
            var field = fields[..(end + 1)];
            var equals = field.IndexOf((byte)'=');
            if (equals > 0 && FixValues.TryParseInt(field[..equals], out var tag)
                && tag is not (FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.MsgSeqNum or FixTag.SenderCompId or FixTag.SendingTime or FixTag.TargetCompId or FixTag.CheckSum))
                _headerFields.AddRaw(field);
            fields = fields[(end + 1)..];
        }
    }

    // Writes the collected header fields in ascending tag order (after 35, which the frame starts with).
    private void WriteSortedHeader()
    {
        var written = _headerFields.Written;
        var count = 0;
        var position = 0;
        while (position < written.Length)
        {
            var rest = written[position..];
            var end = rest.IndexOf((byte)1);
            var equals = rest.IndexOf((byte)'=');
            FixValues.TryParseInt(rest[..equals], out var tag);
            if (count == _entries.Length) Array.Resize(ref _entries, count * 2);
            _entries[count++] = (tag, position, end + 1);
            position += end + 1;
        }
        for (var i = 1; i < count; i++)
        {
            var entry = _entries[i];
            var j = i - 1;
            while (j >= 0 && _entries[j].Tag > entry.Tag)
            {
                _entries[j + 1] = _entries[j];
                j--;
            }
            _entries[j + 1] = entry;
        }
        for (var i = 0; i < count; i++) _frame.AddRaw(written.Slice(_entries[i].Offset, _entries[i].Length));
    }

    private void Write(ReadOnlySpan<byte> frame)
    {
        if (_transport is not { } transport) return;
        _log.Outgoing(Id, frame);
        try
        {
            transport.Send(frame);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Disconnect($"send failed: {e.Message}");
        }
    }

    private void Disconnect(string reason)
    {
        if (_transport is not { } transport) return;
        _transport = null;
        _log.Event(Id, $"Disconnecting: {reason}");
        transport.Disconnect(reason);
        Disconnected(reason);
    }

    private void Disconnected(string reason)
    {
        DisconnectReason = reason;
        var wasLoggedOn = _receivedLogon || _sentLogon;
        _receivedLogon = _sentLogon = false;
        _sentLogout = _receivedReset = _sentReset = false;
        _queue.Clear();
        _resendRange = (0, 0);
        if (Settings.ResetOnDisconnect) _store.Reset();
        if (wasLoggedOn) _application.OnLogout(this, reason);
    }

    private static string? RejectText(SessionRejectReason reason) => reason switch
    {
        SessionRejectReason.InvalidTagNumber => "Invalid tag number",
        SessionRejectReason.RequiredTagMissing => "Required tag missing",
        SessionRejectReason.TagNotDefinedForMessageType => "Tag not defined for this message type",
        SessionRejectReason.TagWithoutValue => "Tag specified without a value",
        SessionRejectReason.ValueOutOfRange => "Value is incorrect (out of range) for this tag",
        SessionRejectReason.IncorrectDataFormat => "Incorrect data format for value",
        SessionRejectReason.CompIdProblem => "CompID problem",
        SessionRejectReason.SendingTimeAccuracy => "SendingTime accuracy problem",
        SessionRejectReason.InvalidMsgType => "Invalid MsgType",
        SessionRejectReason.TagAppearsMoreThanOnce => "Tag appears more than once",
        SessionRejectReason.TagOutOfOrder => "Tag specified out of required order",
        SessionRejectReason.IncorrectNumInGroupCount => "Incorrect NumInGroup count for repeating group",
        _ => null,
    };

    private static string? BusinessRejectText(int reason) => reason switch
    {
        0 => "Other",
        1 => "Unknown ID",
        2 => "Unknown Security",
        3 => "Unsupported Message Type",
        4 => "Application Not Available",
        5 => "Conditionally Required Field Missing",
        6 => "Not Authorized",
        7 => "Deliver to firm not available at this time",
        _ => null,
    };
}
