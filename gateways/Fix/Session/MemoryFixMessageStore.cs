using System.Runtime.InteropServices;

namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// An in-memory store: for tests, benchmarks and sessions that reset on every logon. Sent frames are copied into
/// 1 MB chunks of native memory, indexed by sequence number in native memory as well. Nothing is allocated per message
/// and the garbage collector never sees the store: managed chunks either fed gen0 (small ones, promoted as they live)
/// or triggered gen2 collections (large ones, and a growing index array), and those pauses were the order round
/// trip's tail.
/// </summary>
public sealed unsafe class MemoryFixMessageStore : IFixMessageStore
{
    private const int ChunkSize = 1 << 20;
    private readonly List<(nint Address, int Size)> _chunks = [];
    private Entry* _index;
    private int _count;
    private int _capacity;
    private int _used;

    private struct Entry
    {
        public int SeqNum;
        public int Chunk;
        public int Offset;
        public int Length;
    }

    /// <summary>Frees the memory if the store was not disposed.</summary>
    ~MemoryFixMessageStore() => Release();

    /// <inheritdoc />
    public int NextSenderSeqNum { get; set; } = 1;

    /// <inheritdoc />
    public int NextTargetSeqNum { get; set; } = 1;

    /// <inheritdoc />
    public void Save(int seqNum, ReadOnlySpan<byte> frame)
    {
        lock (_chunks)
        {
            if (_chunks.Count == 0 || _used + frame.Length > _chunks[^1].Size)
            {
                var size = Math.Max(ChunkSize, frame.Length);
                _chunks.Add(((nint)NativeMemory.Alloc((nuint)size), size));
                _used = 0;
            }
            if (_count == _capacity)
            {
                _capacity = Math.Max(1024, _capacity * 2);
                _index = (Entry*)NativeMemory.Realloc(_index, (nuint)(_capacity * sizeof(Entry)));
            }
            frame.CopyTo(new Span<byte>((byte*)_chunks[^1].Address + _used, frame.Length));
            _index[_count++] = new Entry { SeqNum = seqNum, Chunk = _chunks.Count - 1, Offset = _used, Length = frame.Length };
            _used += frame.Length;
        }
    }

    /// <inheritdoc />
    public IEnumerable<(int SeqNum, byte[] Frame)> Get(int begin, int end)
    {
        lock (_chunks)
        {
            // Later saves of a number replace earlier ones.
            var latest = new SortedDictionary<int, Entry>();
            for (var i = 0; i < _count; i++)
                if (_index[i].SeqNum >= begin && _index[i].SeqNum <= end) latest[_index[i].SeqNum] = _index[i];
            return [.. latest.Select(e => (e.Key, new ReadOnlySpan<byte>((byte*)_chunks[e.Value.Chunk].Address + e.Value.Offset, e.Value.Length).ToArray()))];
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        lock (_chunks)
        {
            // Keep the first chunk and the index: a session that resets at every logon reuses them.
            for (var i = _chunks.Count - 1; i >= 1; i--)
            {
                NativeMemory.Free((void*)_chunks[i].Address);
                _chunks.RemoveAt(i);
            }
            _count = 0;
            _used = 0;
            NextSenderSeqNum = 1;
            NextTargetSeqNum = 1;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_chunks) Release();
        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        foreach (var (address, _) in _chunks) NativeMemory.Free((void*)address);
        _chunks.Clear();
        NativeMemory.Free(_index);
        _index = null;
        _count = _capacity = 0;
    }
}
