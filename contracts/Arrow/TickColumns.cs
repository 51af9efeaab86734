using CroweLogic.Flow.Contracts.Execution;
using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;
using Array = System.Array;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>
/// The columns of the lane's tick shape other than the symbol (ts, seq, kind, and the six value slots with validity),
/// gathered in managed byte arrays that become the batch's Arrow buffers without a copy. Buffers built through an Arrow
/// <c>MemoryAllocator</c> (managed or native) each carry an owner object with a finalizer; at 100 000 events/s in 1 ms
/// micro-batches that was ~15 000 finalizable objects a second, all surviving their first collection (3–4 MB promoted
/// per gen0, every collection escalating to gen1) and running on the finalizer thread: the lane's tail latency.
/// </summary>
/// <remarks>Each flushed batch owns the arrays it was built on; the writer starts over on new ones. Not thread-safe.</remarks>
public sealed class TickColumns
{
    /// <summary>The value columns, trades' first (<see cref="TradeSlot"/>), then quotes' (<see cref="QuoteSlot"/>).</summary>
    public static readonly string[] ValueNames = ["price", "size", "bid", "bid_size", "ask", "ask_size"];

    /// <summary>The first value slot of a trade (price, size).</summary>
    private const int TradeSlot = 0;

    /// <summary>The first value slot of a quote (bid, bid size, ask, ask size).</summary>
    private const int QuoteSlot = 2;

    private readonly int _initialCapacity;
    private readonly byte[][] _values = new byte[ValueNames.Length][], _validity = new byte[ValueNames.Length][];
    private readonly int[] _validCount = new int[ValueNames.Length];
    private byte[] _ts = [], _seq = [], _kind = [];
    private Schema? _schema;

    /// <summary>Starts with room for <paramref name="capacity"/> rows; appends beyond it grow the arrays.</summary>
    public TickColumns(int capacity)
    {
        _initialCapacity = Math.Max(1, capacity);
        Open(_initialCapacity);
    }

    /// <summary>Rows gathered since the last flush.</summary>
    public int Rows { get; private set; }

    /// <summary>Rows the current arrays hold.</summary>
    private int Capacity => _kind.Length;

    /// <summary>The first value slot of <paramref name="kind"/>'s values.</summary>
    private static int FirstSlot(int kind) => kind == TickKind.Trade ? TradeSlot : QuoteSlot;

    /// <summary>Makes room for <paramref name="more"/> rows, growing every array when needed.</summary>
    private void Reserve(int more)
    {
        var needed = Rows + more;
        if (needed <= Capacity) return;
        var capacity = Math.Max(needed, Capacity * 2);
        Array.Resize(ref _ts, capacity * 8);
        Array.Resize(ref _seq, capacity * 8);
        Array.Resize(ref _kind, capacity);
        for (var slot = 0; slot < ValueNames.Length; slot++)
        {
            Array.Resize(ref _values[slot], capacity * 8);
            Array.Resize(ref _validity[slot], Bitmap(capacity));
        }
    }

    /// <summary>Appends one row whose values (for its kind's slots, in order) are all present.</summary>
    public void Row(long ts, long seq, int kind, ReadOnlySpan<double> values)
    {
        Reserve(1);
        var at = Rows;
        MemoryMarshal.Cast<byte, long>(_ts.AsSpan())[at] = ts;
        MemoryMarshal.Cast<byte, long>(_seq.AsSpan())[at] = seq;
        _kind[at] = (byte)kind;
        var first = FirstSlot(kind);
        for (var c = 0; c < values.Length; c++)
        {
            MemoryMarshal.Cast<byte, double>(_values[first + c].AsSpan())[at] = values[c];
            _validity[first + c][at >> 3] |= (byte)(1 << (at & 7));
            _validCount[first + c]++;
        }
        Rows = at + 1;
    }

    /// <summary>
    /// Appends <paramref name="ts"/>.Length consecutive rows of one kind: per value column of the kind, the values and
    /// a 0/1 validity byte per row.
    /// </summary>
    public void Run(ReadOnlySpan<long> ts, ReadOnlySpan<long> seq, int kind, double[][] values, byte[][] valid, int from)
    {
        var count = ts.Length;
        Reserve(count);
        var at = Rows;
        ts.CopyTo(MemoryMarshal.Cast<byte, long>(_ts.AsSpan())[at..]);
        seq.CopyTo(MemoryMarshal.Cast<byte, long>(_seq.AsSpan())[at..]);
        _kind.AsSpan(at, count).Fill((byte)kind);
        var first = FirstSlot(kind);
        for (var c = 0; c < values.Length; c++)
        {
            var slot = first + c;
            values[c].AsSpan(from, count).CopyTo(MemoryMarshal.Cast<byte, double>(_values[slot].AsSpan())[at..]);
            var flags = valid[c].AsSpan(from, count);
            var bits = _validity[slot];
            var set = 0;
            for (var i = 0; i < flags.Length; i++)
            {
                var bit = at + i;
                bits[bit >> 3] |= (byte)(flags[i] << (bit & 7));
                set += flags[i];
            }
            _validCount[slot] += set;
        }
        Rows = at + count;
    }

    /// <summary>
    /// The rows gathered, with <paramref name="symbol"/> as the symbol column and <paramref name="timeType"/> as the ts
    /// column's type (64-bit: integers or a timestamp); the writer starts over on new arrays sized for a batch like this one.
    /// </summary>
    public RecordBatch Flush(IArrowArray symbol, IArrowType timeType)
    {
        var length = Rows;
        if (symbol.Length != length) throw new ArgumentException($"the symbol column has {symbol.Length} rows, the tick columns {length}");
        var arrays = new IArrowArray[4 + ValueNames.Length];
        arrays[0] = symbol;
        arrays[1] = ArrowArrayFactory.BuildArray(new ArrayData(timeType, length, 0, 0, [ArrowBuffer.Empty, Buffer(_ts, length * 8)]));
        arrays[2] = new Int64Array(Buffer(_seq, length * 8), ArrowBuffer.Empty, length, 0, 0);
        arrays[3] = new UInt8Array(Buffer(_kind, length), ArrowBuffer.Empty, length, 0, 0);
        for (var slot = 0; slot < ValueNames.Length; slot++)
        {
            var nulls = length - _validCount[slot];
            var validity = nulls == 0 ? ArrowBuffer.Empty : Buffer(_validity[slot], Bitmap(length));
            arrays[4 + slot] = new DoubleArray(Buffer(_values[slot], length * 8), validity, length, nulls, 0);
        }
        var batch = new RecordBatch(SchemaFor(symbol.Data.DataType, timeType), arrays, length);
        Open(Math.Max(_initialCapacity, length));
        return batch;
    }

    /// <summary>The tick shape's schema, built once per writer: a feed of 1 ms batches would otherwise build a schema a millisecond.</summary>
    private Schema SchemaFor(IArrowType symbolType, IArrowType timeType)
    {
        if (_schema is { } known && ReferenceEquals(known.FieldsList[0].DataType, symbolType) && ReferenceEquals(known.FieldsList[1].DataType, timeType)) return known;
        var builder = new Schema.Builder()
            .Field(new Field("symbol", symbolType, false))
            .Field(new Field("ts", timeType, false))
            .Field(new Field("seq", Int64Type.Default, false))
            .Field(new Field("kind", UInt8Type.Default, false));
        foreach (var name in ValueNames) builder.Field(new Field(name, DoubleType.Default, true));
        return _schema = builder.Build();
    }

    private void Open(int capacity)
    {
        (_ts, _seq, _kind) = (new byte[capacity * 8], new byte[capacity * 8], new byte[capacity]);
        for (var slot = 0; slot < ValueNames.Length; slot++)
        {
            _values[slot] = new byte[capacity * 8];
            _validity[slot] = new byte[Bitmap(capacity)];
            _validCount[slot] = 0;
        }
        Rows = 0;
    }

    private static int Bitmap(int rows) => (rows + 7) / 8;

    /// <summary>An Arrow buffer over a managed array: no owner, nothing to finalize.</summary>
    public static ArrowBuffer Buffer(byte[] bytes, int length) => new(bytes.AsMemory(0, length));
}
