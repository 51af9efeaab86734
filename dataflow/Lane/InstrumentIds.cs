using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Dense ids for the lane's instruments, so agents keep per-instrument state in arrays instead of string-keyed maps.
/// Symbols are looked up from the Arrow column's UTF-8 bytes without allocating a string per row.
/// One writer assigns ids (in the lane, the clean-align agent; <see cref="Of(ReadOnlySpan{char})"/> must not be called from
/// two threads at once), while any thread reads the names of ids it was handed: names are published before the count,
/// so the row-rate lookup takes no lock.
/// </summary>
public sealed class InstrumentIds : CroweLogic.Flow.Contracts.Execution.IInstrumentNames
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private string[] _names = new string[64];
    private int _count;
    private readonly Dictionary<ulong, int> _packed = [];
    private IArrowArray? _dictionary;
    private int[] _dictionaryIds = [];

    /// <summary>An empty registry.</summary>
    public InstrumentIds() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Instruments seen so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The symbol of an id.</summary>
    public string Name(int id)
    {
        var count = Volatile.Read(ref _count);
        var names = Volatile.Read(ref _names);
        return id >= 0 && id < count ? names[id] : throw new ArgumentOutOfRangeException(nameof(id), id, "unknown instrument id");
    }

    /// <summary>The id of a symbol, assigning the next one if new.</summary>
    public int Of(string symbol) => Of(symbol.AsSpan());

    /// <summary>The id of a symbol, assigning the next one if new (single writer).</summary>
    public int Of(ReadOnlySpan<char> symbol)
    {
        if (_lookup.TryGetValue(symbol, out var id)) return id;
        var name = symbol.ToString();
        id = _count;
        if (id == _names.Length)
        {
            // Readers holding the old array still find every id below the count they read.
            var grown = new string[id * 2];
            _names.AsSpan().CopyTo(grown);
            Volatile.Write(ref _names, grown);
        }
        _names[id] = name;
        _ids[name] = id;
        Volatile.Write(ref _count, id + 1);
        return id;
    }

    /// <summary>
    /// The id of row <paramref name="row"/> of a symbol column (text or dictionary-encoded text). Tickers of up to eight
    /// bytes are found by their bytes packed into one integer, and a dictionary's entries are resolved once per batch,
    /// so the hot path neither decodes UTF-8 nor hashes a string.
    /// </summary>
    public int Of(IArrowArray symbols, int row)
    {
        switch (symbols)
        {
            case StringArray strings:
                var bytes = strings.GetBytes(row);
                var packed = Pack(bytes);
                if (packed != 0 && _packed.TryGetValue(packed, out var known)) return known;
                Span<char> chars = stackalloc char[Math.Max(1, bytes.Length)];
                var length = Encoding.UTF8.GetChars(bytes, chars);
                var id = Of(chars[..length]);
                if (packed != 0) _packed[packed] = id;
                return id;
            case DictionaryArray dictionary:
                var index = dictionary.Indices switch
                {
                    Int32Array i32 => i32.Values[row],
                    UInt32Array u32 => (int)u32.Values[row],
                    Int16Array i16 => i16.Values[row],
                    UInt16Array u16 => u16.Values[row],
                    Int8Array i8 => i8.Values[row],
                    UInt8Array u8 => u8.Values[row],
                    Int64Array i64 => (int)i64.Values[row],
                    _ => throw new ArgumentException($"symbol dictionary indices of type {dictionary.Indices.Data.DataType.Name} are not supported"),
                };
                if (!ReferenceEquals(dictionary.Dictionary, _dictionary))
                {
                    _dictionary = dictionary.Dictionary;
                    _dictionaryIds = new int[dictionary.Dictionary.Length];
                    _dictionaryIds.AsSpan().Fill(-1);
                }
                ref var slot = ref _dictionaryIds[index];
                if (slot < 0) slot = Of(dictionary.Dictionary, index);
                return slot;
            default:
                throw new ArgumentException($"the symbol column must be text, got {symbols.Data.DataType.Name}");
        }
    }

    /// <summary>
    /// The ids of every row of a symbol column, in one pass: the text column's offsets and bytes are read once, and a row
    /// repeating the previous row's symbol reuses its id.
    /// </summary>
    public void Resolve(IArrowArray symbols, Span<int> ids)
    {
        if (symbols is not StringArray strings)
        {
            for (var row = 0; row < ids.Length; row++) ids[row] = Of(symbols, row);
            return;
        }
        var offsets = strings.ValueOffsets;
        var data = strings.ValueBuffer.Span;
        ReadOnlySpan<byte> previous = default;
        var previousId = -1;
        for (var row = 0; row < ids.Length; row++)
        {
            var bytes = data.Slice(offsets[row], offsets[row + 1] - offsets[row]);
            if (previousId >= 0 && bytes.SequenceEqual(previous))
            {
                ids[row] = previousId;
                continue;
            }
            var packed = Pack(bytes);
            if (packed == 0 || !_packed.TryGetValue(packed, out var id))
            {
                id = Of(strings, row);
            }
            ids[row] = previousId = id;
            previous = bytes;
        }
    }

    /// <summary>Up to eight bytes without a zero byte as one integer (zero: not packable).</summary>
    private static ulong Pack(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is 0 or > 8 || bytes.Contains((byte)0)) return 0;
        ulong key = 0;
        bytes.CopyTo(MemoryMarshal.AsBytes(new Span<ulong>(ref key)));
        return key;
    }
}
