using System.Net;
using System.Net.Sockets;
using CroweLogic.Flow.Gateways.Fix;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A loopback TCP proxy between our initiator and a peer that can simulate network faults: freeze (stop forwarding
/// both ways, keeping the sockets open), drop the next server frame matching a test (a lost message, hence a gap) and
/// sever the connection (both sockets reset; what was in flight is lost). It accepts again after a sever.
/// </summary>
internal sealed class TcpTapProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private volatile bool _frozen;
    private Func<FixMessage, bool>? _dropNext;

    public TcpTapProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public int Dropped { get; private set; }

    public void Freeze() => _frozen = true;

    public void DropNextFromServer(Func<FixMessage, bool> match) => _dropNext = match;

    /// <summary>Connections accepted so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Resets every open connection, both ways (a network failure mid-session); the next connection flows again.</summary>
    public void Sever()
    {
        _frozen = false;
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                try { socket.LingerState = new LingerOption(true, 0); } catch (Exception) { }
                socket.Dispose();
            }
            _sockets.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                client.NoDelay = true;
                Connections++;
                lock (_sockets) _sockets.AddRange([client, server]);
                _ = Task.Run(() => PumpAsync(client, server, frames: false));
                _ = Task.Run(() => PumpAsync(server, client, frames: true));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool frames)
    {
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token);
                if (read == 0) break;
                if (_frozen) continue;
                end += read;
                if (!frames)
                {
                    await to.SendAsync(buffer.AsMemory(0, end), SocketFlags.None, _stop.Token);
                    end = 0;
                    continue;
                }
                while (true)
                {
                    var result = FixFramer.TryFrame(buffer.AsSpan(start, end - start), buffer.Length);
                    if (result.Status == FrameStatus.NeedMore) break;
                    var frame = buffer.AsMemory(start, result.Length);
                    start += result.Length;
                    if (result.Status == FrameStatus.Complete && _dropNext is { } match && match(FixMessage.Parse(frame.Span)))
                    {
                        _dropNext = null;
                        Dropped++;
                        continue;
                    }
                    await to.SendAsync(frame, SocketFlags.None, _stop.Token);
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            // A frozen network delivers nothing, a close included: the other side must find out by its own timers.
            if (!_frozen)
            {
                try { to.Shutdown(SocketShutdown.Send); } catch (Exception) { }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
