namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>An in-memory store: for tests, benchmarks and sessions that reset on every logon.</summary>
public sealed class MemoryFixMessageStore : IFixMessageStore
{
    private readonly SortedDictionary<int, byte[]> _messages = [];

    /// <inheritdoc />
    public int NextSenderSeqNum { get; set; } = 1;

    /// <inheritdoc />
    public int NextTargetSeqNum { get; set; } = 1;

    /// <inheritdoc />
    public void Save(int seqNum, ReadOnlySpan<byte> frame) => _messages[seqNum] = frame.ToArray();

    /// <inheritdoc />
    public IEnumerable<(int SeqNum, byte[] Frame)> Get(int begin, int end) =>
        [.. _messages.Where(m => m.Key >= begin && m.Key <= end).Select(m => (m.Key, m.Value))];

    /// <inheritdoc />
    public void Reset()
    {
        _messages.Clear();
        NextSenderSeqNum = 1;
        NextTargetSeqNum = 1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
