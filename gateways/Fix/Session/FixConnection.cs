using System.Diagnostics;
using System.Net.Sockets;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// One TCP connection carrying a FIX session: a receive loop that frames the byte stream (garbled bytes are skipped
/// and logged, never fatal), a 100 ms timer driving heartbeats and timeouts, and synchronous sends. An acceptor-side
/// connection learns its session from the first frame. Peers that keep a frame incomplete for longer than the
/// partial-frame timeout (slow-loris) or never log on are dropped.
/// </summary>
public sealed class FixConnection : IFixTransport
{
    private readonly Socket _socket;
    private readonly Func<FixMessage, FixSession?>? _resolve;
    private readonly IFixLog _log;
    private readonly FixSessionSettings _limits;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sendGate = new();
    private FixSession? _session;
    private int _closed;
    private long _partialSince;
    private readonly long _openedAt = Stopwatch.GetTimestamp();

    private FixConnection(Socket socket, FixSession? session, Func<FixMessage, FixSession?>? resolve, IFixLog log, FixSessionSettings limits)
    {
        _socket = socket;
        _session = session;
        _resolve = resolve;
        _log = log;
        _limits = limits;
        socket.NoDelay = true;
        socket.SendTimeout = 5_000;
        // Blocking mode makes Receive a plain recv(2): in non-blocking mode .NET emulates it with an allocated
        // operation per wait.
        socket.Blocking = true;
        // A thread of its own blocks in receive: a frame is handled the moment it arrives, without a hop through the
        // thread pool (on a busy pool that hop is the round trip's tail).
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReceiveLoop();
            }
            finally
            {
                received.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "fix-receive",
        };
        thread.Start();
        Completion = Task.WhenAll(received.Task, Task.Run(TimerLoop));
    }

    /// <summary>Ends when the connection is closed and both loops have stopped.</summary>
    public Task Completion { get; }

    /// <summary>Where the peer is.</summary>
    public string Peer => _socket.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Runs a session over a connected socket (initiator side: the session sends Logon at once).</summary>
    public static FixConnection Initiate(Socket socket, FixSession session, IFixLog log)
    {
        var connection = new FixConnection(socket, session, null, log, session.Settings);
        session.Attach(connection, initiator: true);
        return connection;
    }

    /// <summary>Serves an accepted socket whose session is chosen from its first message.</summary>
    public static FixConnection Accept(Socket socket, Func<FixMessage, FixSession?> resolve, IFixLog log, FixSessionSettings limits) =>
        new(socket, null, resolve, log, limits);

    /// <inheritdoc />
    public void Send(ReadOnlySpan<byte> frame)
    {
        lock (_sendGate)
        {
            while (frame.Length > 0)
            {
                var sent = _socket.Send(frame);
                frame = frame[sent..];
            }
        }
    }

    /// <inheritdoc />
    public void Disconnect(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Close();
        _stop.Cancel();
        _session?.Detached(reason);
    }

    private string Name => _session?.Id ?? $"connection from {Peer}";

    private void ReceiveLoop()
    {
        var buffer = new byte[Math.Max(_limits.MaxMessageSize + 8192, 16384)];
        int start = 0, end = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (end == buffer.Length)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                var received = _socket.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                if (received == 0)
                {
                    Disconnect("the counterparty closed the connection");
                    return;
                }
                end += received;
                while (start < end && _closed == 0)
                {
                    var result = FixFramer.TryFrame(buffer.AsSpan(start, end - start), _limits.MaxMessageSize);
                    if (result.Status == FrameStatus.NeedMore) break;
                    var frame = buffer.AsSpan(start, result.Length);
                    start += result.Length;
                    if (result.Status == FrameStatus.Garbled)
                    {
                        if (_session is { } s) s.OnGarbled(result.Error!);
                        else _log.Event(Name, $"garbled message ignored: {result.Error}");
                        continue;
                    }
                    if (_session is null && !Bind(frame)) return;
                    _session!.OnFrame(frame);
                }
                if (start == end)
                {
                    start = end = 0;
                    Interlocked.Exchange(ref _partialSince, 0);
                }
                else if (Interlocked.Read(ref _partialSince) == 0) Interlocked.Exchange(ref _partialSince, Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Disconnect($"connection error: {e.Message}");
        }
    }

    private bool Bind(ReadOnlySpan<byte> frame)
    {
        var first = FixMessage.Parse(frame);
        var session = _resolve!(first);
        if (session is null)
        {
            // Like other engines: no reply to an unknown or duplicate session, just close.
            Disconnect($"no session for {first.GetString(FixTag.SenderCompId)}->{first.GetString(FixTag.TargetCompId)} (unknown CompIDs or already connected)");
            return false;
        }
        if (!session.TryAttach(this, initiator: false))
        {
            _log.Event(session.Id, "second connection refused: the session is already connected");
            Disconnect($"session {session.Id} is already connected");
            return false;
        }
        _session = session;
        return true;
    }

    private async Task TimerLoop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var partial = Interlocked.Read(ref _partialSince);
                if (partial != 0 && Stopwatch.GetElapsedTime(partial) > _limits.PartialFrameTimeout)
                {
                    _log.Event(Name, $"slow peer: a frame stayed incomplete for {_limits.PartialFrameTimeout.TotalSeconds:0.#} s");
                    Disconnect($"a frame stayed incomplete for more than {_limits.PartialFrameTimeout.TotalSeconds:0.#} s (slow or stalled peer)");
                    return;
                }
                if (_session is null && Stopwatch.GetElapsedTime(_openedAt) > _limits.LogonTimeout)
                {
                    _log.Event(Name, "no Logon received");
                    Disconnect($"no Logon within {_limits.LogonTimeout.TotalSeconds:0.#} s");
                    return;
                }
                _session?.OnTimer();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
