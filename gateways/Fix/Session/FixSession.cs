using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// The FIX session layer for one counterparty (FIX 4.0–4.4 and FIXT 1.1), independent of the socket. It follows
/// QuickFIX's session state machine step for step — logon with reset, sequence checks, gap detection with queued
/// messages and one outstanding ResendRequest, resends with PossDup and gap fills, SequenceReset, heartbeats and test
/// requests, SendingTime and CompID checks, validation against the dictionaries, and the exact Reject, BusinessReject
/// and Logout each fault earns — so a counterparty and QuickFIX's own acceptance suite see the same answers from it as
/// from QuickFIX. All entry points serialise on one lock; application callbacks run under it.
/// </summary>
public sealed partial class FixSession
{
    private readonly Lock _gate = new();
    private readonly IFixMessageStore _store;
    private readonly IFixApplication _application;
    private readonly IFixLog _log;
    private readonly TimeProvider _clock;
    private readonly FixDictionary _sessionDictionary;
    private readonly FixMessage _inbound = new();
    private readonly SortedDictionary<int, FixMessage> _queue = [];
    private readonly Dictionary<string, FixDictionary> _applicationDictionaries = new(StringComparer.Ordinal);
    private IFixTransport? _transport;
    private bool _receivedLogon;
    private bool _sentLogon;
    private bool _sentLogout;
    private bool _sentReset;
    private bool _receivedReset;
    private int _testRequest;
    private (int Begin, int End) _resendRange;
    private long _lastSent;
    private long _lastReceived;
    private long _connectedAt;

    /// <summary>Creates a session.</summary>
    public FixSession(FixSessionSettings settings, IFixMessageStore store, IFixApplication application, IFixLog? log = null, TimeProvider? clock = null)
    {
        Settings = settings;
        Id = settings.SessionId;
        _store = store;
        _application = application;
        _log = log ?? new MemoryFixLog();
        _clock = clock ?? TimeProvider.System;
        _sessionDictionary = settings.Dictionary ?? FixDictionary.Empty;
        IsFixt = FixVersion.IsFixt(settings.BeginString);
        SenderDefaultApplVerId = FixVersion.ToApplVerId(settings.DefaultApplVerId ?? FixVersion.Fix50);
        TargetDefaultApplVerId = SenderDefaultApplVerId;
    }

    /// <summary>Configuration.</summary>
    public FixSessionSettings Settings { get; }

    /// <summary>"FIX.4.4:SENDER->TARGET".</summary>
    public string Id { get; }

    /// <summary>Whether this is a FIXT session.</summary>
    public bool IsFixt { get; }

    /// <summary>Life-cycle state.</summary>
    public FixSessionState State
    {
        get
        {
            lock (_gate) return CurrentState;
        }
    }

    /// <summary>Heartbeat interval in force (the initiator's proposal once logged on).</summary>
    public int HeartBtInt { get; private set; }

    /// <summary>Whether this side initiated the connection.</summary>
    public bool IsInitiator { get; private set; }

    /// <summary>Whether both Logons have been exchanged.</summary>
    public bool IsLoggedOn
    {
        get
        {
            lock (_gate) return LoggedOn;
        }
    }

    /// <summary>FIXT: the ApplVerID our application messages default to (1137 on our Logon and BusinessRejects).</summary>
    public string SenderDefaultApplVerId { get; set; }

    /// <summary>FIXT: the ApplVerID the counterparty declared on its Logon; validates its application messages.</summary>
    public string TargetDefaultApplVerId { get; private set; }

    /// <summary>Next MsgSeqNum we send.</summary>
    public int NextSenderSeqNum { get { lock (_gate) return _store.NextSenderSeqNum; } }

    /// <summary>Next MsgSeqNum we expect.</summary>
    public int NextTargetSeqNum { get { lock (_gate) return _store.NextTargetSeqNum; } }

    /// <summary>Why the last connection ended (empty while connected).</summary>
    public string DisconnectReason { get; private set; } = "";

    /// <summary>Raised (outside the lock) whenever <see cref="State"/> changes.</summary>
    public event Action<FixSession, FixSessionState>? StateChanged;

    private bool LoggedOn => _receivedLogon && _sentLogon;

    private FixSessionState CurrentState =>
        _transport is null ? FixSessionState.Disconnected
        : _sentLogout ? FixSessionState.LogoutSent
        : LoggedOn ? FixSessionState.LoggedOn
        : FixSessionState.AwaitingLogon;

    private long Now => Nanos.FromDateTimeOffset(_clock.GetUtcNow());

    /// <summary>Binds a connected transport; an initiator then sends Logon.</summary>
    /// <exception cref="FixSessionException">The session already has a connection.</exception>
    public void Attach(IFixTransport transport, bool initiator)
    {
        if (!TryAttach(transport, initiator)) throw new FixSessionException($"session {Id} is already connected");
    }

    /// <summary>Binds a transport unless the session already has one (checked and bound under the session's lock).</summary>
    public bool TryAttach(IFixTransport transport, bool initiator)
    {
        var before = FixSessionState.Disconnected;
        lock (_gate)
        {
            if (_transport is not null) return false;
            _transport = transport;
            IsInitiator = initiator;
            HeartBtInt = initiator ? Settings.HeartBtIntSeconds : 0;
            DisconnectReason = "";
            _lastReceived = _lastSent = _connectedAt = Now;
            _testRequest = 0;
            if (initiator) GenerateLogon();
        }
        Raise(before);
        return true;
    }

    /// <summary>The transport closed (by the peer or an I/O error).</summary>
    public void Detached(string reason)
    {
        FixSessionState before;
        lock (_gate)
        {
            before = CurrentState;
            if (_transport is null) return;
            _transport = null;
            Disconnected(reason);
        }
        Raise(before);
    }

    /// <summary>Starts a graceful logout: sends Logout and disconnects on the reply or after the logout timeout.</summary>
    public void Logout(string? text = null)
    {
        FixSessionState before;
        lock (_gate)
        {
            before = CurrentState;
            if (!LoggedOn || _sentLogout) return;
            GenerateLogout(text ?? "");
        }
        Raise(before);
    }

    /// <summary>Sends an application message; returns its MsgSeqNum.</summary>
    /// <exception cref="FixSessionException">The session is not logged on.</exception>
    public int Send(FixOutbound message)
    {
        lock (_gate)
        {
            if (!LoggedOn) throw new FixSessionException($"session {Id} is not logged on ({CurrentState}); the message was not sent");
            return SendRaw(message.MsgType, message.HeaderFields, message.Body.Written, message.TrailerFields, 0);
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

    /// <summary>Bytes the framer could not use were dropped.</summary>
    public void OnGarbled(string reason)
    {
        lock (_gate) _log.Event(Id, $"garbled bytes ignored: {reason}");
    }

    /// <summary>Periodic check (call about every 100 ms–1 s): logon and logout timeouts, heartbeats, test requests.</summary>
    public void OnTimer()
    {
        FixSessionState before;
        lock (_gate)
        {
            before = CurrentState;
            if (_transport is null) return;
            if (!_receivedLogon && !IsInitiator && ElapsedSince(_connectedAt) >= (long)Settings.LogonTimeout.TotalSeconds)
            {
                Disconnect($"no Logon within {Settings.LogonTimeout.TotalSeconds:0.#} s");
            }
            else Next();
        }
        Raise(before);
    }

    /// <summary>A complete frame from the transport.</summary>
    public void OnFrame(ReadOnlySpan<byte> frame)
    {
        FixSessionState before;
        lock (_gate)
        {
            before = CurrentState;
            if (_transport is null) return;
            Receive(frame);
        }
        Raise(before);
    }

    private void Raise(FixSessionState before)
    {
        var now = State;
        if (now != before) StateChanged?.Invoke(this, now);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {State} (next out {NextSenderSeqNum}, next in {NextTargetSeqNum})";
}
