using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// Listens for FIX initiators and serves the sessions registered with it, any number of them on one port (one per
/// BeginString and CompID pair, as QuickFIX's acceptor does). A connection is bound to a session by its first
/// message, which must be a Logon naming a registered session that has no connection yet; anything else is closed
/// without a reply, and logged.
/// </summary>
public sealed class FixAcceptor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string BeginString, string Sender, string Target), FixSession> _sessions = new();
    private readonly ConcurrentDictionary<FixConnection, byte> _connections = new();
    private readonly IFixLog _log;
    private readonly FixSessionSettings _limits;
    private TcpListener? _listener;
    private Task? _acceptLoop;

    /// <summary>Creates an acceptor; <paramref name="limits"/> supplies the logon timeout and size limits for unbound connections.</summary>
    public FixAcceptor(IFixLog? log = null, FixSessionSettings? limits = null)
    {
        _log = log ?? new MemoryFixLog();
        _limits = limits ?? new FixSessionSettings("", "");
    }

    /// <summary>The bound address once started.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>Sessions served.</summary>
    public IReadOnlyCollection<FixSession> Sessions => [.. _sessions.Values];

    /// <summary>Registers a session (by BeginString, our SenderCompID and TargetCompID).</summary>
    public FixSession AddSession(FixSessionSettings settings, IFixMessageStore store, IFixApplication application, TimeProvider? clock = null)
    {
        var session = new FixSession(settings, store, application, _log, clock);
        if (!_sessions.TryAdd((settings.BeginString, settings.SenderCompId, settings.TargetCompId), session))
            throw new ArgumentException($"session {settings.SessionId} is already registered");
        return session;
    }

    /// <summary>Starts listening; port 0 picks a free port (see <see cref="Endpoint"/>).</summary>
    public IPEndPoint Start(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Endpoint = (IPEndPoint)listener.LocalEndpoint;
        _log.Event("acceptor", $"listening on {Endpoint}");
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                AcceptLoop();
            }
            finally
            {
                accepted.TrySetResult();
            }
        })
        { IsBackground = true, Name = "fix-accept" }.Start();
        _acceptLoop = accepted.Task;
        return Endpoint;
    }

    /// <summary>Logs every session out, stops listening and closes connections.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions.Values) session.Logout("acceptor shutting down");
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (_sessions.Values.Any(s => s.State == FixSessionState.LogoutSent) && DateTime.UtcNow < deadline) await Task.Delay(20).ConfigureAwait(false);
        _listener?.Stop();
        foreach (var connection in _connections.Keys) connection.Disconnect("acceptor stopped");
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys.Select(c => c.Completion)).ConfigureAwait(false);
    }

    // Accepts on a thread of its own with blocking calls: a socket accepted asynchronously is non-blocking for good, and
    // .NET then emulates every blocking receive with an allocated operation.
    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener!.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var connection = FixConnection.Accept(socket, Resolve, _log, _limits);
            _connections[connection] = 0;
            _ = connection.Completion.ContinueWith(_ => _connections.TryRemove(connection, out byte _), TaskScheduler.Default);
        }
    }

    private FixSession? Resolve(FixMessage first)
    {
        var key = (first.GetString(FixTag.BeginString) ?? "", first.GetString(FixTag.TargetCompId) ?? "", first.GetString(FixTag.SenderCompId) ?? "");
        if (!_sessions.TryGetValue(key, out var session))
        {
            _log.Event("acceptor", $"connection refused: no session {key.Item1}:{key.Item2}->{key.Item3}");
            return null;
        }
        if (first.MsgTypeString != FixMsgType.Logon)
        {
            _log.Event(session.Id, $"connection refused: its first message is MsgType {first.MsgTypeString}, not a Logon");
            return null;
        }
        return session;
    }
}
