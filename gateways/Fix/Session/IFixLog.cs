using System.Collections.Concurrent;
using System.Text;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>Where a session records its events (why it rejected, dropped or disconnected) and the messages on the wire.</summary>
public interface IFixLog
{
    /// <summary>A session event, e.g. "garbled message ignored: CheckSum 012 does not match the computed 013".</summary>
    void Event(string session, string text);

    /// <summary>A frame received.</summary>
    void Incoming(string session, ReadOnlySpan<byte> frame);

    /// <summary>A frame sent.</summary>
    void Outgoing(string session, ReadOnlySpan<byte> frame);
}

/// <summary>Keeps events in memory (tests, diagnostics); messages only when asked to.</summary>
public sealed class MemoryFixLog(bool keepMessages = false) : IFixLog
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>Events so far.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    /// <summary>Messages so far ("in: …" / "out: …", SOH shown as |).</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    /// <inheritdoc />
    public void Event(string session, string text) => _events.Enqueue($"{session}: {text}");

    /// <inheritdoc />
    public void Incoming(string session, ReadOnlySpan<byte> frame)
    {
        if (keepMessages) _messages.Enqueue("in: " + Encoding.Latin1.GetString(frame).Replace('\u0001', '|'));
    }

    /// <inheritdoc />
    public void Outgoing(string session, ReadOnlySpan<byte> frame)
    {
        if (keepMessages) _messages.Enqueue("out: " + Encoding.Latin1.GetString(frame).Replace('\u0001', '|'));
    }
}

/// <summary>Appends events and messages to <c>events.log</c> and <c>messages.log</c> in a directory, timestamped.</summary>
public sealed class FileFixLog : IFixLog, IDisposable
{
    private readonly StreamWriter _events;
    private readonly StreamWriter _messages;
    private readonly Lock _gate = new();

    /// <summary>Opens the log files for appending.</summary>
    public FileFixLog(string directory)
    {
        Directory.CreateDirectory(directory);
        _events = new StreamWriter(Path.Combine(directory, "events.log"), append: true) { AutoFlush = true };
        _messages = new StreamWriter(Path.Combine(directory, "messages.log"), append: true) { AutoFlush = true };
    }

    /// <inheritdoc />
    public void Event(string session, string text)
    {
        lock (_gate) _events.WriteLine($"{DateTime.UtcNow:yyyyMMdd-HH:mm:ss.ffffff} {session}: {text}");
    }

    /// <inheritdoc />
    public void Incoming(string session, ReadOnlySpan<byte> frame) => Write("in ", session, frame);

    /// <inheritdoc />
    public void Outgoing(string session, ReadOnlySpan<byte> frame) => Write("out", session, frame);

    /// <inheritdoc />
    public void Dispose()
    {
        _events.Dispose();
        _messages.Dispose();
    }

    private void Write(string direction, string session, ReadOnlySpan<byte> frame)
    {
        var text = Encoding.Latin1.GetString(frame);
        lock (_gate) _messages.WriteLine($"{DateTime.UtcNow:yyyyMMdd-HH:mm:ss.ffffff} {direction} {session}: {text}");
    }
}
