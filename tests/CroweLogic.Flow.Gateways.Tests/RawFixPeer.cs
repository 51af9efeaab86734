using System.Net.Sockets;
using System.Text;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A hand-driven FIX counterparty over a raw socket: writes whatever bytes a test wants (valid frames with chosen
/// sequence numbers and times, or garbage) and reads the engine's replies frame by frame.
/// </summary>
internal sealed class RawFixPeer : IAsyncDisposable
{
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;

    public RawFixPeer(string sender, string target)
    {
        Sender = sender;
        Target = target;
    }

    public string Sender { get; }

    public string Target { get; }

    public int NextSeq { get; set; } = 1;

    public static async Task<RawFixPeer> ConnectAsync(int port, string sender = "CLIENT", string target = "FLOW")
    {
        var peer = new RawFixPeer(sender, target);
        await peer._socket.ConnectAsync("127.0.0.1", port);
        return peer;
    }

    public byte[] Frame(string msgType, Action<FixFieldWriter>? body = null, int? seq = null, long? sendingTime = null, string? sender = null, Action<FixFieldWriter>? header = null)
    {
        var writer = new FixFieldWriter(framed: true);
        writer.Add(FixTag.MsgType, msgType).Add(FixTag.MsgSeqNum, seq ?? NextSeq).Add(FixTag.SenderCompId, sender ?? Sender)
            .AddTimestamp(FixTag.SendingTime, sendingTime ?? Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow)).Add(FixTag.TargetCompId, Target);
        header?.Invoke(writer);
        body?.Invoke(writer);
        if (seq is null) NextSeq++;
        return writer.Complete("FIX.4.4").ToArray();
    }

    public Task SendAsync(string msgType, Action<FixFieldWriter>? body = null, int? seq = null, long? sendingTime = null, string? sender = null, Action<FixFieldWriter>? header = null) =>
        SendRawAsync(Frame(msgType, body, seq, sendingTime, sender, header));

    public async Task SendRawAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.Latin1.GetBytes(text.Replace('|', '\u0001')));

    public async Task LogonAsync(int heartBtInt = 30, bool reset = true, string? password = null)
    {
        await SendAsync(FixMsgType.Logon, b =>
        {
            b.Add(FixTag.EncryptMethod, 0).Add(FixTag.HeartBtInt, heartBtInt);
            if (reset) b.Add(FixTag.ResetSeqNumFlag, true);
            if (password is not null) b.Add(FixTag.Username, "user").Add(FixTag.Password, password);
        });
        await ExpectAsync(FixMsgType.Logon);
    }

    /// <summary>The next frame, or null when the connection closed or nothing came in time.</summary>
    public async Task<FixMessage?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var result = FixFramer.TryFrame(_buffer.AsSpan(_start, _end - _start), 1 << 20);
            if (result.Status == FrameStatus.Complete)
            {
                var message = FixMessage.Parse(_buffer.AsSpan(_start, result.Length));
                _start += result.Length;
                return message;
            }
            if (result.Status == FrameStatus.Garbled) throw new InvalidOperationException($"the engine sent a garbled frame: {result.Error}");
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (SocketException)
            {
                Closed = true;
                return null;
            }
            if (read == 0)
            {
                Closed = true;
                return null;
            }
            _end += read;
        }
    }

    /// <summary>The next message of a type (skipping heartbeats), failing the test if it does not come.</summary>
    public async Task<FixMessage> ExpectAsync(string msgType, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null) break;
            if (message.MsgTypeString == msgType) return message;
            if (message.MsgTypeString != FixMsgType.Heartbeat) throw new InvalidOperationException($"expected MsgType {msgType}, got {message}");
        }
        throw new TimeoutException($"no MsgType {msgType} within {seconds} s");
    }

    /// <summary>Whether the engine closed the connection.</summary>
    public bool Closed { get; private set; }

    /// <summary>True when the engine closes the connection within the timeout (messages before that are skipped).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Closed && DateTime.UtcNow < deadline) await ReceiveAsync(deadline - DateTime.UtcNow);
        return Closed;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
