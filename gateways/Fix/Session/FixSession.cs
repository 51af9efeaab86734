using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// The FIX 4.4 session layer for one counterparty, independent of the socket: logon and logout, heartbeats and test
/// requests, sequence numbers in a durable store, gap detection with ResendRequest (later messages are queued and
/// processed once the gap is filled), answering ResendRequests with PossDup resends and SequenceReset-GapFill for
/// admin messages, CompID and SendingTime checks, dictionary validation with Reject reason codes, and
/// BusinessMessageReject for unsupported types. All entry points serialise on one lock.
/// </summary>
public sealed class FixSession
{
    private readonly Lock _gate = new();
    private readonly IFixMessageStore _store;
    private readonly IFixApplication _application;
    private readonly IFixLog _log;
    private readonly TimeProvider _clock;
    private readonly FixFieldWriter _writer = new(framed: true);
    private readonly FixFieldWriter _body = new();
    private readonly FixMessage _inbound = new();
    private readonly SortedDictionary<int, FixMessage> _queued = [];
    private IFixTransport? _transport;
    private long _lastReceived;
    private long _lastSent;
    private long _stateSince;
    private string? _pendingTestRequest;
    private long _testRequestSentAt;
    private int _testRequestCounter;
    private int _resendRequestedUpTo;
    private bool _draining;

    /// <summary>Creates a session.</summary>
    public FixSession(FixSessionSettings settings, IFixMessageStore store, IFixApplication application, IFixLog? log = null, TimeProvider? clock = null)
    {
        Settings = settings;
        _store = store;
        _application = application;
        _log = log ?? new MemoryFixLog();
        _clock = clock ?? TimeProvider.System;
        HeartBtInt = settings.HeartBtIntSeconds;
    }

    /// <summary>Configuration.</summary>
    public FixSessionSettings Settings { get; }

    /// <summary>"FIX.4.4:SENDER->TARGET".</summary>
    public string Id => Settings.SessionId;

    /// <summary>Life-cycle state.</summary>
    public FixSessionState State { get; private set; }

    /// <summary>Heartbeat interval in force (the initiator's proposal once logged on).</summary>
    public int HeartBtInt { get; private set; }

    /// <summary>Whether this side initiated the connection.</summary>
    public bool IsInitiator { get; internal set; }

    /// <summary>Next MsgSeqNum we send.</summary>
    public int NextSenderSeqNum { get { lock (_gate) return _store.NextSenderSeqNum; } }

    /// <summary>Next MsgSeqNum we expect.</summary>
    public int NextTargetSeqNum { get { lock (_gate) return _store.NextTargetSeqNum; } }

    /// <summary>Why the last connection ended (empty while connected).</summary>
    public string DisconnectReason { get; private set; } = "";

    /// <summary>Raised (outside the lock) whenever <see cref="State"/> changes.</summary>
    public event Action<FixSession, FixSessionState>? StateChanged;

    private long Now => Nanos.FromDateTimeOffset(_clock.GetUtcNow());

    /// <summary>Binds a connected transport; an initiator then sends Logon.</summary>
    public void Attach(IFixTransport transport, bool initiator)
    {
        lock (_gate)
        {
            if (_transport is not null) throw new FixSessionException($"session {Id} is already connected");
            _transport = transport;
            IsInitiator = initiator;
            DisconnectReason = "";
            _lastReceived = _lastSent = Now;
            _pendingTestRequest = null;
            _queued.Clear();
            _resendRequestedUpTo = 0;
            SetState(FixSessionState.AwaitingLogon);
            if (initiator) SendLogon(Settings.ResetOnLogon);
        }
        RaiseStateChanged();
    }

    /// <summary>The transport closed (by us or the peer).</summary>
    public void Detached(string reason)
    {
        bool wasLoggedOn;
        lock (_gate)
        {
            if (_transport is null) return;
            wasLoggedOn = State is FixSessionState.LoggedOn or FixSessionState.LogoutSent;
            _transport = null;
            DisconnectReason = reason;
            _log.Event(Id, $"disconnected: {reason}");
            SetState(FixSessionState.Disconnected);
        }
        if (wasLoggedOn) _application.OnLogout(this, reason);
        RaiseStateChanged();
    }

    /// <summary>Starts a graceful logout: sends Logout and disconnects on the reply or after the logout timeout.</summary>
    public void Logout(string? text = null)
    {
        lock (_gate)
        {
            if (State != FixSessionState.LoggedOn) return;
            SendAdmin(FixMsgType.Logout, text is null ? null : b => b.Add(FixTag.Text, text));
            SetState(FixSessionState.LogoutSent);
        }
        RaiseStateChanged();
    }

    /// <summary>Sends an application message; returns its MsgSeqNum.</summary>
    /// <exception cref="FixSessionException">The session is not logged on.</exception>
    public int Send(FixOutbound message)
    {
        lock (_gate)
        {
            if (State != FixSessionState.LoggedOn) throw new FixSessionException($"session {Id} is not logged on ({State}); the message was not sent");
            return SendMessage(message.MsgType, message.Body.Written);
        }
    }

    /// <summary>
    /// Test hook: advances our outgoing sequence number without sending, so the counterparty sees a gap and must ask for
    /// a resend (which is answered with a gap fill).
    /// </summary>
    public void SkipOutgoingSequenceNumbers(int count)
    {
        lock (_gate) _store.NextSenderSeqNum += count;
    }

    /// <summary>A garbled frame was dropped by the framer.</summary>
    public void OnGarbled(string reason)
    {
        lock (_gate) _log.Event(Id, $"garbled message ignored: {reason}");
    }

    /// <summary>Periodic check (call about every 100 ms–1 s): heartbeats, test requests, timeouts.</summary>
    public void OnTimer()
    {
        lock (_gate)
        {
            if (_transport is null) return;
            var now = Now;
            var interval = HeartBtInt * 1_000_000_000L;
            switch (State)
            {
                case FixSessionState.AwaitingLogon when now - _stateSince > Settings.LogonTimeout.Ticks * 100:
                    Disconnect($"no Logon within {Settings.LogonTimeout.TotalSeconds:0.#} s");
                    return;
                case FixSessionState.LogoutSent when now - _stateSince > Settings.LogoutTimeout.Ticks * 100:
                    Disconnect("no Logout reply within the logout timeout");
                    return;
                case FixSessionState.LoggedOn when interval > 0:
                    if (_pendingTestRequest is not null && now - _testRequestSentAt > interval + interval / 5)
                    {
                        Disconnect($"heartbeat timeout: no reply to TestRequest {_pendingTestRequest} within {HeartBtInt * 1.2:0.#} s");
                        return;
                    }
                    if (_pendingTestRequest is null && now - _lastReceived > interval + interval / 5)
                    {
                        _pendingTestRequest = $"TEST{++_testRequestCounter}";
                        _testRequestSentAt = now;
                        _log.Event(Id, $"nothing received for {(now - _lastReceived) / 1e9:0.0} s: sending TestRequest {_pendingTestRequest}");
                        var id = _pendingTestRequest;
                        SendAdmin(FixMsgType.TestRequest, b => b.Add(FixTag.TestReqId, id));
                    }
                    if (now - _lastSent >= interval) SendAdmin(FixMsgType.Heartbeat, null);
                    break;
            }
        }
    }

    /// <summary>A complete frame from the transport.</summary>
    public void OnFrame(ReadOnlySpan<byte> frame)
    {
        FixSessionState before;
        lock (_gate)
        {
            before = State;
            _log.Incoming(Id, frame);
            _lastReceived = Now;
            var message = _inbound.Load(frame);
            Process(message);
            while (!_draining && _queued.Count > 0 && _transport is not null && _queued.TryGetValue(_store.NextTargetSeqNum, out var next))
            {
                _draining = true;
                try
                {
                    _queued.Remove(next.SeqNum);
                    Process(next);
                }
                finally
                {
                    _draining = false;
                }
                // Anything queued below the expected number was superseded (e.g. by a gap fill).
                foreach (var stale in _queued.Keys.Where(k => k < _store.NextTargetSeqNum).ToArray()) _queued.Remove(stale);
            }
        }
        if (State != before) RaiseStateChanged();
    }

    private void Process(FixMessage message)
    {
        if (_transport is null) return;
        if (!message.Is(FixTag.BeginString, Settings.BeginString))
        {
            Disconnect($"incorrect BeginString {message.GetString(FixTag.BeginString)} (expected {Settings.BeginString})", logout: true);
            return;
        }
        var msgType = message.MsgTypeString;
        var seq = message.SeqNum;
        if (!message.Is(FixTag.SenderCompId, Settings.TargetCompId) || !message.Is(FixTag.TargetCompId, Settings.SenderCompId))
        {
            var text = $"CompID problem: got {message.GetString(FixTag.SenderCompId)}->{message.GetString(FixTag.TargetCompId)}, expected {Settings.TargetCompId}->{Settings.SenderCompId}";
            if (State == FixSessionState.LoggedOn)
            {
                SendReject(seq, msgType, SessionRejectReason.CompIdProblem, FixTag.SenderCompId, text);
                Disconnect(text, logout: true);
            }
            else Disconnect(text);
            return;
        }
        if (seq <= 0)
        {
            Disconnect("MsgSeqNum (34) is missing or not a positive number", logout: true);
            return;
        }
        if (State == FixSessionState.AwaitingLogon && msgType != FixMsgType.Logon)
        {
            Disconnect($"the first message must be Logon, got MsgType {msgType}");
            return;
        }
        if (msgType == FixMsgType.Logon && message.Is(FixTag.ResetSeqNumFlag, "Y") && State == FixSessionState.AwaitingLogon && !IsInitiator)
        {
            _log.Event(Id, "Logon with ResetSeqNumFlag=Y: sequence numbers reset to 1");
            _store.Reset();
        }
        if (Settings.CheckLatency && !SendingTimeIsAccurate(message, seq, msgType)) return;
        if (message.IsPossDup && !PossDupIsConsistent(message, seq, msgType)) return;

        // SequenceReset in reset mode ignores MsgSeqNum.
        if (msgType == FixMsgType.SequenceReset && !message.Is(FixTag.GapFillFlag, "Y"))
        {
            HandleSequenceReset(message, seq, gapFill: false);
            return;
        }

        var expected = _store.NextTargetSeqNum;
        if (seq > expected)
        {
            if (msgType == FixMsgType.Logon)
            {
                HandleLogon(message, advance: false);
                RequestResend(expected, seq);
                return;
            }
            if (msgType == FixMsgType.Logout)
            {
                HandleLogout(message);
                return;
            }
            if (msgType == FixMsgType.ResendRequest) HandleResendRequest(message);
            if (!_queued.ContainsKey(seq)) _queued[seq] = message.Clone();
            // One outstanding ResendRequest (EndSeqNo 0: everything) covers later arrivals until the gap is filled.
            if (_resendRequestedUpTo < expected) RequestResend(expected, seq);
            return;
        }
        if (seq < expected)
        {
            if (message.IsPossDup)
            {
                _log.Event(Id, $"duplicate MsgSeqNum {seq} (PossDup) ignored");
                return;
            }
            Disconnect($"MsgSeqNum too low, expecting {expected} but received {seq}", logout: true);
            return;
        }

        if (Settings.Dictionary?.Validate(message) is { } rejection)
        {
            _log.Event(Id, $"rejected MsgSeqNum {seq} ({msgType}): {rejection.Text}");
            if (msgType == FixMsgType.Logon)
            {
                Disconnect($"invalid Logon: {rejection.Text}", logout: true);
                return;
            }
            if (rejection.UnsupportedMessageType) SendBusinessReject(seq, msgType, 3, 0, rejection.Text);
            else SendReject(seq, msgType, rejection.Reason, rejection.RefTag, rejection.Text);
            _store.NextTargetSeqNum = seq + 1;
            return;
        }

        switch (msgType)
        {
            case FixMsgType.Logon:
                HandleLogon(message, advance: true);
                return;
            case FixMsgType.SequenceReset:
                HandleSequenceReset(message, seq, gapFill: true);
                return;
        }
        _store.NextTargetSeqNum = seq + 1;
        switch (msgType)
        {
            case FixMsgType.Heartbeat:
                if (_pendingTestRequest is not null && message.Is(FixTag.TestReqId, _pendingTestRequest)) _pendingTestRequest = null;
                break;
            case FixMsgType.TestRequest:
                var id = message.GetString(FixTag.TestReqId) ?? "";
                SendAdmin(FixMsgType.Heartbeat, b => b.Add(FixTag.TestReqId, id));
                break;
            case FixMsgType.ResendRequest:
                HandleResendRequest(message);
                break;
            case FixMsgType.Reject:
                _log.Event(Id, $"counterparty rejected our MsgSeqNum {message.GetString(FixTag.RefSeqNum)}: reason {message.GetString(FixTag.SessionRejectReason)} tag {message.GetString(FixTag.RefTagId)} {message.GetString(FixTag.Text)}");
                break;
            case FixMsgType.Logout:
                HandleLogout(message);
                return;
            default:
                if (State != FixSessionState.LoggedOn && State != FixSessionState.LogoutSent) return;
                try
                {
                    _application.FromApp(message, this);
                }
                catch (FixBusinessRejectException e)
                {
                    SendBusinessReject(seq, msgType, e.Reason, e.RefTag, e.Message);
                }
                catch (Exception e)
                {
                    // The application failed on a message we have accepted in sequence: tell the counterparty, keep the session.
                    _log.Event(Id, $"application error on MsgSeqNum {seq} ({msgType}): {e.Message}");
                    SendBusinessReject(seq, msgType, 4, 0, "application not available: " + e.Message);
                }
                return;
        }
        _application.FromAdmin(message, this);
    }

    private bool SendingTimeIsAccurate(FixMessage message, int seq, string msgType)
    {
        if (!message.TryGetTimestamp(FixTag.SendingTime, out var sent))
        {
            // Missing or malformed: dictionary validation names it; without a dictionary, reject here.
            if (Settings.Dictionary is not null) return true;
            SendReject(seq, msgType, SessionRejectReason.RequiredTagMissing, FixTag.SendingTime, "SendingTime (52) is missing or malformed");
            _store.NextTargetSeqNum = Math.Max(_store.NextTargetSeqNum, seq + 1);
            return false;
        }
        if (Math.Abs(Now - sent) <= Settings.MaxLatency.Ticks * 100) return true;
        var text = $"SendingTime accuracy problem: {message.GetString(FixTag.SendingTime)} is more than {Settings.MaxLatency.TotalSeconds:0} s from our clock";
        if (State == FixSessionState.LoggedOn) SendReject(seq, msgType, SessionRejectReason.SendingTimeAccuracy, FixTag.SendingTime, text);
        Disconnect(text, logout: true);
        return false;
    }

    private bool PossDupIsConsistent(FixMessage message, int seq, string msgType)
    {
        if (msgType == FixMsgType.SequenceReset) return true;
        if (!message.TryGetTimestamp(FixTag.OrigSendingTime, out var original))
        {
            SendReject(seq, msgType, SessionRejectReason.RequiredTagMissing, FixTag.OrigSendingTime, "PossDupFlag=Y without OrigSendingTime (122)");
            if (seq == _store.NextTargetSeqNum) _store.NextTargetSeqNum = seq + 1;
            return false;
        }
        if (message.TryGetTimestamp(FixTag.SendingTime, out var sent) && original > sent)
        {
            var text = "OrigSendingTime (122) is later than SendingTime (52)";
            SendReject(seq, msgType, SessionRejectReason.SendingTimeAccuracy, FixTag.OrigSendingTime, text);
            Disconnect(text, logout: true);
            return false;
        }
        return true;
    }

    private void HandleLogon(FixMessage message, bool advance)
    {
        var seq = message.SeqNum;
        if (State == FixSessionState.LoggedOn)
        {
            // A second Logon on a logged-on session is a protocol error.
            SendReject(seq, FixMsgType.Logon, SessionRejectReason.Other, 0, "already logged on");
            if (advance) _store.NextTargetSeqNum = seq + 1;
            return;
        }
        if (!message.TryGetInt(FixTag.HeartBtInt, out var heartBtInt) || heartBtInt < 0)
        {
            Disconnect("Logon without a valid HeartBtInt (108)", logout: true);
            return;
        }
        if (!message.Is(FixTag.EncryptMethod, "0"))
        {
            Disconnect("unsupported EncryptMethod (98): only 0 (none) is supported", logout: true);
            return;
        }
        if (!IsInitiator)
        {
            if (!_application.Authenticate(this, message.GetString(FixTag.Username), message.GetString(FixTag.Password)))
            {
                Disconnect("Logon refused: authentication failed", logout: true);
                return;
            }
            if (Settings.ResetOnLogon && !message.Is(FixTag.ResetSeqNumFlag, "Y"))
            {
                _store.Reset();
                if (seq != 1) advance = false;
            }
            HeartBtInt = heartBtInt;
            if (advance) _store.NextTargetSeqNum = seq + 1;
            SendLogon(reset: message.Is(FixTag.ResetSeqNumFlag, "Y"));
        }
        else if (advance) _store.NextTargetSeqNum = seq + 1;
        SetState(FixSessionState.LoggedOn);
        _log.Event(Id, $"logged on (HeartBtInt {HeartBtInt} s, next sender {_store.NextSenderSeqNum}, next target {_store.NextTargetSeqNum})");
        _application.OnLogon(this);
    }

    private void HandleLogout(FixMessage message)
    {
        var text = message.GetString(FixTag.Text);
        if (message.SeqNum == _store.NextTargetSeqNum) _store.NextTargetSeqNum++;
        if (State != FixSessionState.LogoutSent) SendAdmin(FixMsgType.Logout, null);
        _application.FromAdmin(message, this);
        if (Settings.ResetOnLogout) _store.Reset();
        Disconnect(text is null ? "counterparty logged out" : $"counterparty logged out: {text}");
    }

    private void HandleSequenceReset(FixMessage message, int seq, bool gapFill)
    {
        if (!message.TryGetInt(FixTag.NewSeqNo, out var newSeqNo) || newSeqNo <= 0)
        {
            SendReject(seq, FixMsgType.SequenceReset, SessionRejectReason.RequiredTagMissing, FixTag.NewSeqNo, "SequenceReset without a valid NewSeqNo (36)");
            return;
        }
        var expected = _store.NextTargetSeqNum;
        if (newSeqNo < expected || (gapFill && newSeqNo == expected && seq != expected))
        {
            SendReject(seq, FixMsgType.SequenceReset, SessionRejectReason.ValueOutOfRange, FixTag.NewSeqNo, $"SequenceReset attempts to lower the expected sequence number from {expected} to {newSeqNo}");
            if (gapFill) _store.NextTargetSeqNum = seq + 1;
            return;
        }
        _log.Event(Id, $"SequenceReset{(gapFill ? "-GapFill" : "")}: next expected {expected} -> {newSeqNo}");
        _store.NextTargetSeqNum = newSeqNo;
    }

    private void HandleResendRequest(FixMessage message)
    {
        if (!message.TryGetInt(FixTag.BeginSeqNo, out var begin) || !message.TryGetInt(FixTag.EndSeqNo, out var end)) return;
        var last = _store.NextSenderSeqNum - 1;
        if (end == 0 || end > last) end = last;
        _log.Event(Id, $"resending {begin}..{end}");
        var next = begin;
        foreach (var (seq, frame) in _store.Get(begin, end))
        {
            var stored = FixMessage.Parse(frame);
            if (FixMsgType.IsAdmin(stored.MsgType)) continue;
            if (seq > next) SendGapFill(next, seq);
            Resend(stored);
            next = seq + 1;
        }
        if (next <= end) SendGapFill(next, end + 1);
    }

    private void RequestResend(int from, int received)
    {
        _resendRequestedUpTo = received - 1;
        _log.Event(Id, $"sequence gap: expected {from}, received {received}; requesting resend");
        SendAdmin(FixMsgType.ResendRequest, b => b.Add(FixTag.BeginSeqNo, from).Add(FixTag.EndSeqNo, 0));
    }

    // An initiator resets its store before asking for a reset; an acceptor has already reset when it read the request.
    private void SendLogon(bool reset)
    {
        if (reset && IsInitiator) _store.Reset();
        SendAdmin(FixMsgType.Logon, b =>
        {
            b.Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, HeartBtInt);
            if (reset) b.Add(FixTag.ResetSeqNumFlag, true);
            if (IsInitiator && Settings.Username is { } user) b.Add(FixTag.Username, user);
            if (IsInitiator && Settings.Password is { } password) b.Add(FixTag.Password, password);
        });
    }

    private void SendReject(int refSeq, string refMsgType, SessionRejectReason reason, int refTag, string text) =>
        SendAdmin(FixMsgType.Reject, b =>
        {
            b.Add(FixTag.RefSeqNum, refSeq);
            if (refTag > 0) b.Add(FixTag.RefTagId, refTag);
            if (refMsgType.Length > 0) b.Add(FixTag.RefMsgType, refMsgType);
            b.Add(FixTag.SessionRejectReason, (int)reason).Add(FixTag.Text, Truncate(text));
        });

    private void SendBusinessReject(int refSeq, string refMsgType, int reason, int refTag, string text)
    {
        _body.Clear().Add(FixTag.RefSeqNum, refSeq).Add(FixTag.RefMsgType, refMsgType).Add(FixTag.BusinessRejectReason, reason);
        _body.Add(FixTag.Text, Truncate(refTag > 0 ? $"{text} (tag {refTag})" : text));
        SendMessage(FixMsgType.BusinessMessageReject, _body.Written);
    }

    private void SendGapFill(int seq, int newSeqNo)
    {
        _body.Clear().Add(FixTag.GapFillFlag, true).Add(FixTag.NewSeqNo, newSeqNo);
        var frame = Frame(FixMsgType.SequenceReset, seq, _body.Written, possDup: true, originalSendingTime: null);
        Write(frame);
    }

    private void Resend(FixMessage stored)
    {
        _body.Clear();
        long? original = stored.TryGetTimestamp(FixTag.SendingTime, out var sent) ? sent : null;
        for (var i = 0; i < stored.FieldCount; i++)
        {
            var field = stored.Field(i);
            if (field.Tag is FixTag.BeginString or FixTag.BodyLength or FixTag.MsgType or FixTag.MsgSeqNum or FixTag.SenderCompId
                or FixTag.TargetCompId or FixTag.SendingTime or FixTag.PossDupFlag or FixTag.OrigSendingTime or FixTag.CheckSum) continue;
            _body.Add(field.Tag, stored.ValueOf(field));
        }
        var frame = Frame(stored.MsgTypeString, stored.SeqNum, _body.Written, possDup: true, originalSendingTime: original);
        Write(frame);
    }

    private void SendAdmin(string msgType, Action<FixFieldWriter>? body)
    {
        _body.Clear();
        body?.Invoke(_body);
        SendMessage(msgType, _body.Written);
    }

    private int SendMessage(string msgType, ReadOnlySpan<byte> body, IFixTransport? via = null)
    {
        var seq = _store.NextSenderSeqNum;
        var frame = Frame(msgType, seq, body, possDup: false, originalSendingTime: null);
        _store.Save(seq, frame);
        _store.NextSenderSeqNum = seq + 1;
        Write(frame, via);
        return seq;
    }

    private ReadOnlySpan<byte> Frame(string msgType, int seq, ReadOnlySpan<byte> body, bool possDup, long? originalSendingTime)
    {
        var now = Now;
        _writer.Clear().Add(FixTag.MsgType, msgType).Add(FixTag.MsgSeqNum, seq).Add(FixTag.SenderCompId, Settings.SenderCompId)
            .AddTimestamp(FixTag.SendingTime, now).Add(FixTag.TargetCompId, Settings.TargetCompId);
        if (possDup)
        {
            _writer.Add(FixTag.PossDupFlag, true);
            _writer.AddTimestamp(FixTag.OrigSendingTime, originalSendingTime ?? now);
        }
        return _writer.AddRaw(body).Complete(Settings.BeginString);
    }

    private void Write(ReadOnlySpan<byte> frame, IFixTransport? via = null)
    {
        var transport = via ?? _transport;
        if (transport is null) return;
        _log.Outgoing(Id, frame);
        try
        {
            transport.Send(frame);
            _lastSent = Now;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Disconnect($"send failed: {e.Message}");
        }
    }

    // The session is marked disconnected before the final Logout goes out, so a counterparty that reconnects as soon as
    // it reads that Logout finds the session free.
    private void Disconnect(string reason, bool logout = false)
    {
        if (_transport is not { } transport) return;
        var wasLoggedOn = State is FixSessionState.LoggedOn or FixSessionState.LogoutSent;
        var sendLogout = logout && State != FixSessionState.Disconnected;
        _transport = null;
        DisconnectReason = reason;
        SetState(FixSessionState.Disconnected);
        _log.Event(Id, reason);
        if (sendLogout)
        {
            _body.Clear().Add(FixTag.Text, Truncate(reason));
            SendMessage(FixMsgType.Logout, _body.Written, transport);
        }
        transport.Disconnect(reason);
        if (wasLoggedOn) _application.OnLogout(this, reason);
    }

    private void SetState(FixSessionState state)
    {
        State = state;
        _stateSince = Now;
    }

    private void RaiseStateChanged() => StateChanged?.Invoke(this, State);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    /// <inheritdoc />
    public override string ToString() => $"{Id} {State} (next out {_store.NextSenderSeqNum}, next in {_store.NextTargetSeqNum})";
}
