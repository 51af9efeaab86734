using CroweLogic.Flow.Contracts.Execution;
using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Array = System.Array;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>
/// Builds a batch in the lane's interleaved tick shape (the lane's <c>MarketShape.Ticks</c>): trades carry price and size,
/// quotes carry the two sides, the other columns are null. One definition of the schema for feeds, benchmarks and tests.
/// </summary>
/// <remarks>
/// Buffers are managed arrays handed to Arrow without an allocator (<see cref="TickColumns"/>), so a feed's short-lived
/// batches die young in gen0 and leave nothing for the finalizer. The builder can be reused: each
/// <see cref="Build"/> starts the next batch on fresh arrays sized like the last one.
/// </remarks>
public sealed class TickBatchBuilder(int capacity = 256)
{
    private readonly TickColumns _columns = new(capacity);
    private readonly double[] _row = new double[4];
    private byte[] _symbolBytes = new byte[Math.Max(1, capacity) * 8];
    private byte[] _offsets = new byte[(Math.Max(1, capacity) + 1) * 4];
    private int _symbolLength;

    /// <summary>Rows appended since the last <see cref="Build"/>.</summary>
    public int Rows => _columns.Rows;

    /// <summary>Appends a trade.</summary>
    public TickBatchBuilder Trade(string symbol, long ts, long seq, double price, double size)
    {
        Symbol(symbol);
        (_row[0], _row[1]) = (price, size);
        _columns.Row(ts, seq, TickKind.Trade, _row.AsSpan(0, 2));
        return this;
    }

    /// <summary>Appends a two-sided quote.</summary>
    public TickBatchBuilder Quote(string symbol, long ts, long seq, double bid, double bidSize, double ask, double askSize)
    {
        Symbol(symbol);
        (_row[0], _row[1], _row[2], _row[3]) = (bid, bidSize, ask, askSize);
        _columns.Row(ts, seq, TickKind.Quote, _row);
        return this;
    }

    /// <summary>The batch of everything appended since the last call (ts as 64-bit integers of nanoseconds).</summary>
    public RecordBatch Build()
    {
        var rows = _columns.Rows;
        var symbol = new StringArray(rows, TickColumns.Buffer(_offsets, (rows + 1) * 4), TickColumns.Buffer(_symbolBytes, _symbolLength), ArrowBuffer.Empty, 0, 0);
        var batch = _columns.Flush(symbol, Int64Type.Default);
        (_symbolBytes, _offsets, _symbolLength) = (new byte[_symbolBytes.Length], new byte[_offsets.Length], 0);
        return batch;
    }

    private void Symbol(string symbol)
    {
        var row = _columns.Rows;
        if ((row + 2) * 4 > _offsets.Length) Array.Resize(ref _offsets, Math.Max((row + 2) * 4, _offsets.Length * 2));
        var most = Encoding.UTF8.GetMaxByteCount(symbol.Length);
        if (_symbolLength + most > _symbolBytes.Length) Array.Resize(ref _symbolBytes, Math.Max(_symbolLength + most, _symbolBytes.Length * 2));
        _symbolLength += Encoding.UTF8.GetBytes(symbol, _symbolBytes.AsSpan(_symbolLength));
        MemoryMarshal.Cast<byte, int>(_offsets.AsSpan())[row + 1] = _symbolLength;
    }
}
