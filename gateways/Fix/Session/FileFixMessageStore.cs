using System.Buffers.Binary;
using System.Text;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// A file store per session directory: <c>seqnums</c> (both next sequence numbers, rewritten in place), <c>body</c>
/// (sent frames appended) and <c>index</c> (sequence number, offset, length per frame, 16 bytes each, appended). The
/// index is read back on open, so sequence numbers and resends survive a restart. With <see cref="FlushToDisk"/> every
/// write is fsync'ed (durable against power loss, at a latency cost); otherwise it survives process crashes.
/// </summary>
public sealed class FileFixMessageStore : IFixMessageStore
{
    private readonly FileStream _seqnums;
    private readonly FileStream _body;
    private readonly FileStream _index;
    private readonly Dictionary<int, (long Offset, int Length)> _offsets = [];
    private int _nextSender = 1;
    private int _nextTarget = 1;

    /// <summary>Opens (or creates) the store in a directory.</summary>
    /// <exception cref="IOException">The directory is in use by another process or its files are corrupt.</exception>
    public FileFixMessageStore(string directory, bool flushToDisk = false)
    {
        Directory.CreateDirectory(directory);
        FlushToDisk = flushToDisk;
        _seqnums = Open(Path.Combine(directory, "seqnums"));
        _body = Open(Path.Combine(directory, "body"));
        _index = Open(Path.Combine(directory, "index"));
        LoadSeqNums();
        LoadIndex();
    }

    /// <summary>Whether each write is flushed to the device.</summary>
    public bool FlushToDisk { get; }

    /// <inheritdoc />
    public int NextSenderSeqNum
    {
        get => _nextSender;
        set
        {
            _nextSender = value;
            WriteSeqNums();
        }
    }

    /// <inheritdoc />
    public int NextTargetSeqNum
    {
        get => _nextTarget;
        set
        {
            _nextTarget = value;
            WriteSeqNums();
        }
    }

    /// <inheritdoc />
    public void Save(int seqNum, ReadOnlySpan<byte> frame)
    {
        var offset = _body.Length;
        _body.Seek(0, SeekOrigin.End);
        _body.Write(frame);
        _body.Flush(FlushToDisk);
        Span<byte> entry = stackalloc byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(entry, seqNum);
        BinaryPrimitives.WriteInt64LittleEndian(entry[4..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(entry[12..], frame.Length);
        _index.Seek(0, SeekOrigin.End);
        _index.Write(entry);
        _index.Flush(FlushToDisk);
        _offsets[seqNum] = (offset, frame.Length);
    }

    /// <inheritdoc />
    public IEnumerable<(int SeqNum, byte[] Frame)> Get(int begin, int end)
    {
        var result = new List<(int, byte[])>();
        foreach (var seq in _offsets.Keys.Where(k => k >= begin && k <= end).Order())
        {
            var (offset, length) = _offsets[seq];
            var frame = new byte[length];
            _body.Seek(offset, SeekOrigin.Begin);
            _body.ReadExactly(frame);
            result.Add((seq, frame));
        }
        return result;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _body.SetLength(0);
        _index.SetLength(0);
        _offsets.Clear();
        _nextSender = 1;
        _nextTarget = 1;
        WriteSeqNums();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _seqnums.Dispose();
        _body.Dispose();
        _index.Dispose();
    }

    // FileShare.None: a second process (or session) on the same directory fails at once instead of corrupting it.
    private static FileStream Open(string path) => new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    private void LoadSeqNums()
    {
        if (_seqnums.Length == 0)
        {
            WriteSeqNums();
            return;
        }
        var text = new StreamReader(_seqnums, Encoding.ASCII, leaveOpen: true).ReadToEnd().Trim();
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out _nextSender) || !int.TryParse(parts[1], out _nextTarget) || _nextSender < 1 || _nextTarget < 1)
            throw new IOException($"the sequence number file {_seqnums.Name} is corrupt (\"{text}\"); restore it or reset the session");
    }

    private void LoadIndex()
    {
        if (_index.Length % 16 != 0) _index.SetLength(_index.Length / 16 * 16); // a torn last entry from a crash
        _index.Seek(0, SeekOrigin.Begin);
        Span<byte> entry = stackalloc byte[16];
        while (_index.Position < _index.Length)
        {
            _index.ReadExactly(entry);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(entry[4..]);
            var length = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
            if (offset + length <= _body.Length) _offsets[BinaryPrimitives.ReadInt32LittleEndian(entry)] = (offset, length);
        }
    }

    private void WriteSeqNums()
    {
        // Fixed width, rewritten in place: a crash mid-write cannot leave a shorter, stale tail.
        var bytes = Encoding.ASCII.GetBytes($"{_nextSender,10}:{_nextTarget,10}\n");
        _seqnums.Seek(0, SeekOrigin.Begin);
        _seqnums.Write(bytes);
        _seqnums.SetLength(bytes.Length);
        _seqnums.Flush(FlushToDisk);
    }
}
