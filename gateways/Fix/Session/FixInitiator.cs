using System.Net.Sockets;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>Connects a session to an acceptor and logs on.</summary>
public sealed class FixInitiator : IAsyncDisposable
{
    private readonly IFixLog _log;
    private FixConnection? _connection;

    /// <summary>An initiator for one session.</summary>
    public FixInitiator(FixSessionSettings settings, IFixMessageStore store, IFixApplication application, IFixLog? log = null, TimeProvider? clock = null)
    {
        _log = log ?? new MemoryFixLog();
        Session = new FixSession(settings, store, application, _log, clock);
    }

    /// <summary>The session.</summary>
    public FixSession Session { get; }

    /// <summary>Connects and sends Logon; completes when logged on.</summary>
    /// <exception cref="FixSessionException">The logon did not complete (refused, disconnected or timed out); the message says why.</exception>
    public async Task ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var loggedOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnState(FixSession s, FixSessionState state)
        {
            if (state == FixSessionState.LoggedOn) loggedOn.TrySetResult();
            else if (state == FixSessionState.Disconnected) loggedOn.TrySetException(new FixSessionException($"logon to {host}:{port} failed: {s.DisconnectReason}"));
        }
        Session.StateChanged += OnState;
        try
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                // A blocking connect keeps the socket out of .NET's asynchronous mode, so its receives stay plain recv(2) calls.
                await Task.Run(() => socket.Connect(host, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new FixSessionException($"cannot connect to {host}:{port}: {e.Message}");
            }
            _connection = FixConnection.Initiate(socket, Session, _log);
            var timeout = Task.Delay(Session.Settings.LogonTimeout + TimeSpan.FromSeconds(1), cancellationToken);
            if (await Task.WhenAny(loggedOn.Task, timeout).ConfigureAwait(false) == timeout)
            {
                _connection.Disconnect("logon timed out");
                throw new FixSessionException($"logon to {host}:{port} timed out after {Session.Settings.LogonTimeout.TotalSeconds:0.#} s");
            }
            await loggedOn.Task.ConfigureAwait(false);
        }
        finally
        {
            Session.StateChanged -= OnState;
        }
    }

    /// <summary>Completes when the session is disconnected.</summary>
    public Task Disconnected => _connection?.Completion ?? Task.CompletedTask;

    /// <summary>Drops the connection without Logout (tests: a crash or network loss).</summary>
    public void Abort(string reason) => _connection?.Disconnect(reason);

    /// <summary>Logs out (waiting for the reply up to the logout timeout) and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        Session.Logout();
        var deadline = DateTime.UtcNow + Session.Settings.LogoutTimeout + TimeSpan.FromMilliseconds(500);
        while (Session.State == FixSessionState.LogoutSent && DateTime.UtcNow < deadline) await Task.Delay(10).ConfigureAwait(false);
        _connection.Disconnect("initiator closed");
        await _connection.Completion.ConfigureAwait(false);
    }
}
