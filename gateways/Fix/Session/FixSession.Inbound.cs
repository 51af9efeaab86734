using System.Text;

namespace CroweLogic.Flow.Gateways.Fix.Session;

public sealed partial class FixSession
{
    // A check inside verification failed in a way that ends the connection (QuickFIX: a std::exception in verify()).
    private sealed class ConnectionFault(string message) : Exception(message);

    // The application refused a Logon (QuickFIX's RejectLogon): Logout with the reason, then disconnect.
    private sealed class LogonRejected(string message) : Exception(message);

    private void Receive(ReadOnlySpan<byte> frame)
    {
        _log.Incoming(Id, frame);
        var appDictionary = IsFixt ? ApplicationDictionary(SenderDefaultApplVerId) : _sessionDictionary;
        var message = _inbound.Load(frame, _sessionDictionary, appDictionary, Settings.ValidateLengthAndChecksum);
        if (message.Invalid is { } invalid)
        {
            _log.Event(Id, $"invalid message ignored: {invalid}");
            if (frame.IndexOf("\u000135=A\u0001"u8) >= 0)
            {
                _log.Event(Id, "Logon message is not valid");
                Disconnect($"invalid Logon: {invalid}");
            }
            else if (!LoggedOn) Disconnect($"invalid message before logon: {invalid}");
            return;
        }
        Next(message, queued: false);
    }

    private void Next(FixMessage message, bool queued)
    {
        var msgType = "";
        try
        {
            if (!message.Header.TryGet(FixTag.MsgType, out var typeField))
            {
                _log.Event(Id, "message without MsgType (35) ignored");
                return;
            }
            msgType = message.MsgTypeString;
            if (!message.Header.Contains(FixTag.SenderCompId)) throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.SenderCompId));
            if (!message.Header.Contains(FixTag.TargetCompId)) throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.TargetCompId));
            if (!HeaderIs(message, FixTag.BeginString, Settings.BeginString)) throw new FixFaultException(new FixFault(FixFaultKind.UnsupportedVersion, FixTag.BeginString));
            if (msgType == FixMsgType.Logon)
            {
                if (IsFixt)
                {
                    if (!message.Body.TryGet(FixTag.DefaultApplVerId, out var applVerId)) throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.DefaultApplVerId));
                    TargetDefaultApplVerId = Encoding.Latin1.GetString(message.ValueOf(applVerId));
                }
                else TargetDefaultApplVerId = FixVersion.ToApplVerId(Settings.BeginString);
            }
            var application = _sessionDictionary;
            if (IsFixt && !FixMsgType.IsAdmin(message.ValueOf(typeField)))
                application = message.Header.TryGet(FixTag.ApplVerId, out var applVerId)
                    ? ApplicationDictionary(Encoding.Latin1.GetString(message.ValueOf(applVerId)))
                    : ApplicationDictionary(TargetDefaultApplVerId);
            if (FixValidator.Validate(message, _sessionDictionary, application, Settings.Validation) is { } fault) throw new FixFaultException(fault);

            switch (msgType)
            {
                case FixMsgType.Logon: NextLogon(message); break;
                case FixMsgType.Heartbeat: NextHeartbeat(message); break;
                case FixMsgType.TestRequest: NextTestRequest(message); break;
                case FixMsgType.SequenceReset: NextSequenceReset(message); break;
                case FixMsgType.Logout: NextLogout(message); break;
                case FixMsgType.ResendRequest: NextResendRequest(message); break;
                case FixMsgType.Reject: NextReject(message); break;
                default:
                    if (!Verify(message)) return;
                    _store.NextTargetSeqNum++;
                    break;
            }
        }
        catch (FixFaultException e)
        {
            Answer(message, msgType, e.Fault);
        }
        catch (FixBusinessRejectException e)
        {
            BusinessReject(message, e);
        }
        catch (LogonRejected e)
        {
            _log.Event(Id, e.Message);
            GenerateLogout(e.Message);
            Disconnect($"Logon refused: {e.Message}");
        }
        catch (ConnectionFault e)
        {
            _log.Event(Id, e.Message);
            Disconnect(e.Message);
        }
        if (_transport is null) return;
        if (!queued) NextQueued();
        if (LoggedOn) Next();
    }

    // Kept out of Next: a lambda there would capture its parameter and cost a closure on every message.
    private void BusinessReject(FixMessage message, FixBusinessRejectException e) => Guarded(() => GenerateBusinessReject(message, e.Reason, e.RefTag, e.Message));

    // How QuickFIX answers each fault (Session::next's handlers).
    private void Answer(FixMessage message, string msgType, FixFault fault)
    {
        var tag = fault.Tag;
        var laterThan41 = FixVersion.Compare(HeaderString(message, FixTag.BeginString) ?? "", FixVersion.Fix42) >= 0;
        var isApp = msgType.Length > 0 && !FixMsgType.IsAdmin(Encoding.ASCII.GetBytes(msgType));
        switch (fault.Kind)
        {
            case FixFaultKind.FieldNotFound:
                if (laterThan41 && isApp) Guarded(() => GenerateBusinessReject(message, 5, tag));
                else
                {
                    Guarded(() => GenerateReject(message, SessionRejectReason.RequiredTagMissing, tag));
                    if (msgType == FixMsgType.Logon)
                    {
                        _log.Event(Id, "Required field missing from logon");
                        Disconnect($"required field {tag} missing from the Logon");
                    }
                }
                break;
            case FixFaultKind.RequiredTagMissing: Guarded(() => GenerateReject(message, SessionRejectReason.RequiredTagMissing, tag)); break;
            case FixFaultKind.InvalidTagNumber: Guarded(() => GenerateReject(message, SessionRejectReason.InvalidTagNumber, tag)); break;
            case FixFaultKind.NoTagValue: Guarded(() => GenerateReject(message, SessionRejectReason.TagWithoutValue, tag)); break;
            case FixFaultKind.TagNotDefinedForMessage: Guarded(() => GenerateReject(message, SessionRejectReason.TagNotDefinedForMessageType, tag)); break;
            case FixFaultKind.InvalidMessageType: Guarded(() => GenerateReject(message, SessionRejectReason.InvalidMsgType, 0)); break;
            case FixFaultKind.UnsupportedMessageType:
                if (laterThan41) Guarded(() => GenerateBusinessReject(message, 3, 0));
                else Guarded(() => GenerateReject(message, "Unsupported message type"));
                break;
            case FixFaultKind.TagOutOfOrder: Guarded(() => GenerateReject(message, SessionRejectReason.TagOutOfOrder, tag)); break;
            case FixFaultKind.IncorrectDataFormat: Guarded(() => GenerateReject(message, SessionRejectReason.IncorrectDataFormat, tag)); break;
            case FixFaultKind.IncorrectTagValue: Guarded(() => GenerateReject(message, SessionRejectReason.ValueOutOfRange, tag)); break;
            case FixFaultKind.RepeatedTag: Guarded(() => GenerateReject(message, SessionRejectReason.TagAppearsMoreThanOnce, tag)); break;
            case FixFaultKind.RepeatingGroupCountMismatch: Guarded(() => GenerateReject(message, SessionRejectReason.IncorrectNumInGroupCount, tag)); break;
            case FixFaultKind.UnsupportedVersion:
                if (msgType == FixMsgType.Logout) NextLogout(message);
                else
                {
                    GenerateLogout("Incorrect BeginString");
                    _store.NextTargetSeqNum++;
                }
                break;
        }
    }

    // QuickFIX logs and swallows what fails while it answers a fault (e.g. a Reject before logon cannot be sent).
    private void Guarded(Action answer)
    {
        try
        {
            answer();
        }
        catch (ConnectionFault e)
        {
            _log.Event(Id, e.Message);
        }
    }

    private void NextLogon(FixMessage logon)
    {
        var reset = logon.Body.TryGet(FixTag.ResetSeqNumFlag, out var flag) && logon.ValueOf(flag) is [(byte)'Y'];
        _receivedReset = reset;
        if (_receivedReset)
        {
            _log.Event(Id, "Logon contains ResetSeqNumFlag=Y, resetting sequence numbers to 1");
            if (!_sentReset) _store.Reset();
        }
        if (IsInitiator && !_sentLogon && !_receivedReset)
        {
            Disconnect("received a Logon response before sending a request");
            return;
        }
        if (!IsInitiator && Settings.ResetOnLogon) _store.Reset();
        if (!Verify(logon, checkTooHigh: false, checkTooLow: true)) return;
        _receivedLogon = true;
        if (!IsInitiator || (_receivedReset && !_sentReset))
        {
            if (logon.Body.TryGet(FixTag.HeartBtInt, out var hb) && FixValues.TryParseInt(logon.ValueOf(hb), out var heartBtInt)) HeartBtInt = heartBtInt;
            _log.Event(Id, "Received logon request");
            GenerateLogonResponse(logon);
            _log.Event(Id, "Responding to logon request");
        }
        else _log.Event(Id, "Received logon response");
        _sentReset = false;
        _receivedReset = false;
        var seq = HeaderInt(logon, FixTag.MsgSeqNum);
        if (seq > _store.NextTargetSeqNum && !reset) DoTargetTooHigh(logon, seq);
        else
        {
            _store.NextTargetSeqNum++;
            NextQueued();
        }
        if (LoggedOn)
        {
            _log.Event(Id, $"logged on (HeartBtInt {HeartBtInt} s, next sender {_store.NextSenderSeqNum}, next target {_store.NextTargetSeqNum})");
            _application.OnLogon(this);
        }
    }

    private void NextHeartbeat(FixMessage heartbeat)
    {
        if (!Verify(heartbeat)) return;
        _store.NextTargetSeqNum++;
        NextQueued();
    }

    private void NextTestRequest(FixMessage testRequest)
    {
        if (!Verify(testRequest)) return;
        GenerateHeartbeat(testRequest);
        _store.NextTargetSeqNum++;
        NextQueued();
    }

    private void NextLogout(FixMessage logout)
    {
        if (!Verify(logout, checkTooHigh: false, checkTooLow: false)) return;
        var text = logout.GetString(FixTag.Text);
        if (!_sentLogout)
        {
            _log.Event(Id, "Received logout request");
            GenerateLogout("");
            _log.Event(Id, "Sending logout response");
        }
        else _log.Event(Id, "Received logout response");
        _store.NextTargetSeqNum++;
        if (Settings.ResetOnLogout) _store.Reset();
        Disconnect(text is null ? "counterparty logged out" : $"counterparty logged out: {text}");
    }

    private void NextReject(FixMessage reject)
    {
        if (!Verify(reject, checkTooHigh: false, checkTooLow: true)) return;
        _log.Event(Id, $"counterparty rejected our MsgSeqNum {reject.GetString(FixTag.RefSeqNum)}: reason {reject.GetString(FixTag.SessionRejectReason)} tag {reject.GetString(FixTag.RefTagId)} {reject.GetString(FixTag.Text)}");
        _store.NextTargetSeqNum++;
        NextQueued();
    }

    private void NextSequenceReset(FixMessage sequenceReset)
    {
        var gapFill = sequenceReset.Body.TryGet(FixTag.GapFillFlag, out var flag) && sequenceReset.ValueOf(flag) is [(byte)'Y'];
        if (!Verify(sequenceReset, checkTooHigh: gapFill, checkTooLow: gapFill)) return;
        if (!sequenceReset.Body.TryGet(FixTag.NewSeqNo, out var field) || !FixValues.TryParseInt(sequenceReset.ValueOf(field), out var newSeqNo)) return;
        var expected = _store.NextTargetSeqNum;
        _log.Event(Id, $"Received SequenceReset FROM: {expected} TO: {newSeqNo}");
        if (newSeqNo > expected) _store.NextTargetSeqNum = newSeqNo;
        else if (newSeqNo < expected) GenerateReject(sequenceReset, SessionRejectReason.ValueOutOfRange, 0);
    }

    private void NextResendRequest(FixMessage request)
    {
        if (!Verify(request, checkTooHigh: false, checkTooLow: false)) return;
        if (!request.Body.TryGet(FixTag.BeginSeqNo, out var beginField) || !FixValues.TryParseInt(request.ValueOf(beginField), out var begin))
            throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.BeginSeqNo));
        if (!request.Body.TryGet(FixTag.EndSeqNo, out var endField) || !FixValues.TryParseInt(request.ValueOf(endField), out var end))
            throw new FixFaultException(new FixFault(FixFaultKind.FieldNotFound, FixTag.EndSeqNo));
        _log.Event(Id, $"Received ResendRequest FROM: {begin} TO: {end}");
        var version = Settings.BeginString;
        var nextSender = _store.NextSenderSeqNum;
        if ((FixVersion.Compare(version, FixVersion.Fix42) >= 0 && end == 0) || (FixVersion.Compare(version, FixVersion.Fix42) <= 0 && end == 999999) || end >= nextSender)
            end = nextSender - 1;
        if (!Settings.PersistMessages)
        {
            end = Math.Min(end + 1, nextSender);
            GenerateSequenceReset(begin, end);
        }
        else Resend(begin, end);
        var seq = HeaderInt(request, FixTag.MsgSeqNum);
        if (seq == _store.NextTargetSeqNum) _store.NextTargetSeqNum++;
    }

    private void NextQueued()
    {
        while (_transport is not null && _queue.Remove(_store.NextTargetSeqNum, out var queued))
        {
            _log.Event(Id, $"Processing QUEUED message: {queued.SeqNum}");
            var msgType = queued.MsgTypeString;
            if (msgType is FixMsgType.Logon or FixMsgType.ResendRequest) _store.NextTargetSeqNum++;
            else Next(queued, queued: true);
        }
    }

    private bool Verify(FixMessage message, bool checkTooHigh = true, bool checkTooLow = true)
    {
        var msgType = message.MsgTypeString;
        try
        {
            if (!message.Header.Contains(FixTag.SenderCompId)) throw new ConnectionFault("SenderCompID (49) is missing");
            if (!message.Header.Contains(FixTag.TargetCompId)) throw new ConnectionFault("TargetCompID (56) is missing");
            if (!message.Header.TryGet(FixTag.SendingTime, out var sendingField) || !FixValues.TryParseTimestamp(message.ValueOf(sendingField), out var sendingTime))
                throw new ConnectionFault("SendingTime (52) is missing or malformed");
            var seq = 0;
            if (checkTooHigh || checkTooLow)
            {
                if (!message.Header.TryGet(FixTag.MsgSeqNum, out var seqField) || !FixValues.TryParseInt(message.ValueOf(seqField), out seq))
                    throw new ConnectionFault("MsgSeqNum (34) is missing or malformed");
            }
            if (!ValidLogonState(msgType)) throw new ConnectionFault("Logon state is not valid for message");
            if (!IsGoodTime(sendingTime))
            {
                GenerateReject(message, SessionRejectReason.SendingTimeAccuracy, 0);
                GenerateLogout("");
                return false;
            }
            if (Settings.CheckCompId && (!HeaderIs(message, FixTag.TargetCompId, Settings.SenderCompId) || !HeaderIs(message, FixTag.SenderCompId, Settings.TargetCompId)))
            {
                GenerateReject(message, SessionRejectReason.CompIdProblem, 0);
                GenerateLogout("");
                return false;
            }
            var expected = _store.NextTargetSeqNum;
            if (checkTooHigh && seq > expected)
            {
                DoTargetTooHigh(message, seq);
                return false;
            }
            if (checkTooLow && seq < expected)
            {
                DoTargetTooLow(message, seq);
                return false;
            }
            if ((checkTooHigh || checkTooLow) && ResendRequested && seq >= _resendRange.End)
            {
                _log.Event(Id, $"ResendRequest for messages FROM: {_resendRange.Begin} TO: {_resendRange.End} has been satisfied.");
                _resendRange = (0, 0);
            }
        }
        catch (ConnectionFault e)
        {
            _log.Event(Id, e.Message);
            Disconnect(e.Message);
            return false;
        }
        _lastReceived = Now;
        _testRequest = 0;
        if (FixMsgType.IsAdmin(message.MsgType))
        {
            if (msgType == FixMsgType.Logon && !IsInitiator
                && !_application.Authenticate(this, message.GetString(FixTag.Username), message.GetString(FixTag.Password)))
                throw new LogonRejected("authentication failed");
            _application.FromAdmin(message, this);
        }
        else Deliver(message);
        return true;
    }

    // An application that fails on a message we accepted in sequence: tell the counterparty, keep the session.
    private void Deliver(FixMessage message)
    {
        try
        {
            _application.FromApp(message, this);
        }
        catch (Exception e) when (e is not (FixFaultException or FixBusinessRejectException or ConnectionFault or LogonRejected))
        {
            _log.Event(Id, $"application error on MsgSeqNum {message.SeqNum} ({message.MsgTypeString}): {e.Message}");
            throw new FixBusinessRejectException(4, "Application Not Available: " + e.Message);
        }
    }

    private bool ResendRequested => !(_resendRange.Begin == 0 && _resendRange.End == 0);

    private bool ValidLogonState(string msgType)
    {
        var logon = msgType == FixMsgType.Logon;
        if ((logon && _sentReset) || _receivedReset) return true;
        if ((logon && !_receivedLogon) || (!logon && _receivedLogon)) return true;
        if (msgType == FixMsgType.Logout && _sentLogon) return true;
        if (msgType != FixMsgType.Logout && _sentLogout) return true;
        return msgType is FixMsgType.SequenceReset or FixMsgType.Reject;
    }

    private bool IsGoodTime(long sendingTime) =>
        !Settings.CheckLatency || Math.Abs(WholeSeconds(Now) - WholeSeconds(sendingTime)) <= (long)Settings.MaxLatency.TotalSeconds;

    private void DoTargetTooHigh(FixMessage message, int seq)
    {
        _log.Event(Id, $"MsgSeqNum too high, expecting {_store.NextTargetSeqNum} but received {seq}");
        if (_queue.Count >= Settings.MaxQueuedMessages && !_queue.ContainsKey(seq))
        {
            var text = $"more than {Settings.MaxQueuedMessages} messages queued ahead of sequence gap {_store.NextTargetSeqNum}";
            GenerateLogout(text);
            throw new ConnectionFault(text);
        }
        _queue[seq] = ReferenceEquals(message, _inbound) ? message.Clone() : message;
        if (ResendRequested && !Settings.SendRedundantResendRequests && seq >= _resendRange.Begin)
        {
            _log.Event(Id, $"Already sent ResendRequest FROM: {_resendRange.Begin} TO: {_resendRange.End}.  Not sending another.");
            return;
        }
        GenerateResendRequest(HeaderString(message, FixTag.BeginString) ?? Settings.BeginString, seq);
    }

    private void DoTargetTooLow(FixMessage message, int seq)
    {
        if (!message.IsPossDup)
        {
            var text = $"MsgSeqNum too low, expecting {_store.NextTargetSeqNum} but received {seq}";
            GenerateLogout(text);
            throw new ConnectionFault(text);
        }
        DoPossDup(message);
    }

    private bool DoPossDup(FixMessage message)
    {
        if (message.MsgTypeString == FixMsgType.SequenceReset) return true;
        if (!message.Header.TryGet(FixTag.OrigSendingTime, out var origField))
        {
            GenerateReject(message, SessionRejectReason.RequiredTagMissing, FixTag.OrigSendingTime);
            return false;
        }
        if (!FixValues.TryParseTimestamp(message.ValueOf(origField), out var original) || !message.TryGetTimestamp(FixTag.SendingTime, out var sent))
            throw new ConnectionFault("OrigSendingTime (122) or SendingTime (52) is malformed");
        if (original > sent)
        {
            GenerateReject(message, SessionRejectReason.SendingTimeAccuracy, 0);
            GenerateLogout("");
            return false;
        }
        return true;
    }

    // FIXT application dictionaries by ApplVerID, resolved once each.
    private FixDictionary ApplicationDictionary(string applVerId)
    {
        if (!_applicationDictionaries.TryGetValue(applVerId, out var dictionary))
            _applicationDictionaries[applVerId] = dictionary = Settings.ApplicationDictionary(applVerId);
        return dictionary;
    }

    private static bool HeaderIs(FixMessage message, int tag, string value) =>
        message.Header.TryGet(tag, out var field) && FixValues.EqualsAscii(message.ValueOf(field), value);

    private static string? HeaderString(FixMessage message, int tag) =>
        message.Header.TryGet(tag, out var field) ? Encoding.Latin1.GetString(message.ValueOf(field)) : null;

    private static int HeaderInt(FixMessage message, int tag) =>
        message.Header.TryGet(tag, out var field) && FixValues.TryParseInt(message.ValueOf(field), out var value) ? value : 0;

    private static long WholeSeconds(long nanos) => nanos >= 0 ? nanos / 1_000_000_000L : (nanos - 999_999_999L) / 1_000_000_000L;

    private long ElapsedSince(long then) => WholeSeconds(Now) - WholeSeconds(then);
}
