using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>
/// Read access to one Arrow column whatever physical type a producer chose for it
/// (ClickHouse, for example, answers DateTime as uint32 seconds and String as binary),
/// so decoders bind by name and meaning, not by exact physical type.
/// </summary>
public abstract class ColumnView
{
    /// <summary>Wraps an array in the view for its physical type.</summary>
    public static ColumnView For(IArrowArray array, string name) => array switch
    {
        TimestampArray a => new IntegerView(a.Length, i => a.IsNull(i), i => a.Values[i] * UnitToNanos(((TimestampType)a.Data.DataType).Unit)),
        Int64Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        UInt64Array a => new IntegerView(a.Length, a.IsNull, i => checked((long)a.Values[i])),
        Int32Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        UInt32Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        Int16Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        UInt16Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        Int8Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        UInt8Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i]),
        BooleanArray a => new IntegerView(a.Length, a.IsNull, i => a.GetValue(i) == true ? 1 : 0),
        Date32Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i] * Time.Nanos.PerDay),
        Date64Array a => new IntegerView(a.Length, a.IsNull, i => a.Values[i] * Time.Nanos.PerMillisecond),
        DoubleArray a => new FloatView(a.Length, a.IsNull, i => a.Values[i]),
        FloatArray a => new FloatView(a.Length, a.IsNull, i => a.Values[i]),
        StringArray a => new TextView(a.Length, a.IsNull, i => a.GetString(i) ?? string.Empty),
        BinaryArray a => new TextView(a.Length, a.IsNull, i => System.Text.Encoding.UTF8.GetString(a.GetBytes(i))),
        DictionaryArray a => new DictionaryView(a, name),
        ListArray a => new ListView(a, name),
        _ => throw new ArrowContractException($"column '{name}' has Arrow type {array.Data.DataType.Name}, which no contract field maps from"),
    };

    private static long UnitToNanos(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => Time.Nanos.PerSecond,
        TimeUnit.Millisecond => Time.Nanos.PerMillisecond,
        TimeUnit.Microsecond => 1_000L,
        _ => 1L,
    };

    /// <summary>Number of rows.</summary>
    public abstract int Length { get; }

    /// <summary>True where the row holds null.</summary>
    public abstract bool IsNull(int row);

    /// <summary>The value as an int64 (timestamps normalised to nanoseconds).</summary>
    public virtual long GetInt64(int row) => throw Mismatch("an integer");

    /// <summary>The value as a double.</summary>
    public virtual double GetDouble(int row) => throw Mismatch("a number");

    /// <summary>The value as a string.</summary>
    public virtual string GetString(int row) => throw Mismatch("text");

    /// <summary>The value as a list of strings.</summary>
    public virtual string[] GetStringList(int row) => throw Mismatch("a list of text");

    /// <summary>The value as a list of doubles.</summary>
    public virtual double[] GetDoubleList(int row) => throw Mismatch("a list of numbers");

    private ArrowContractException Mismatch(string wanted) => new($"column holds {GetType().Name.Replace("View", string.Empty).ToLowerInvariant()}, expected {wanted}");

    private sealed class IntegerView(int length, Func<int, bool> isNull, Func<int, long> get) : ColumnView
    {
        public override int Length => length;
        public override bool IsNull(int row) => isNull(row);
        public override long GetInt64(int row) => get(row);
        public override double GetDouble(int row) => get(row);
    }

    private sealed class FloatView(int length, Func<int, bool> isNull, Func<int, double> get) : ColumnView
    {
        public override int Length => length;
        public override bool IsNull(int row) => isNull(row);
        public override double GetDouble(int row) => get(row);
    }

    private sealed class TextView(int length, Func<int, bool> isNull, Func<int, string> get) : ColumnView
    {
        public override int Length => length;
        public override bool IsNull(int row) => isNull(row);
        public override string GetString(int row) => get(row);
    }

    private sealed class DictionaryView : ColumnView
    {
        private readonly DictionaryArray _array;
        private readonly ColumnView _values;

        public DictionaryView(DictionaryArray array, string name)
        {
            _array = array;
            _values = For(array.Dictionary, name);
        }

        public override int Length => _array.Length;
        public override bool IsNull(int row) => _array.IsNull(row);
        public override string GetString(int row) => _values.GetString(Index(row));
        public override long GetInt64(int row) => _values.GetInt64(Index(row));
        public override double GetDouble(int row) => _values.GetDouble(Index(row));

        private int Index(int row) => _array.Indices switch
        {
            Int8Array a => a.Values[row],
            UInt8Array a => a.Values[row],
            Int16Array a => a.Values[row],
            UInt16Array a => a.Values[row],
            Int32Array a => a.Values[row],
            UInt32Array a => checked((int)a.Values[row]),
            Int64Array a => checked((int)a.Values[row]),
            _ => checked((int)((UInt64Array)_array.Indices).Values[row]),
        };
    }

    private sealed class ListView : ColumnView
    {
        private readonly ListArray _array;
        private readonly ColumnView _values;

        public ListView(ListArray array, string name)
        {
            _array = array;
            _values = For(array.Values, name);
        }

        public override int Length => _array.Length;
        public override bool IsNull(int row) => _array.IsNull(row);

        public override string[] GetStringList(int row) => Items(row, _values.GetString);

        public override double[] GetDoubleList(int row) => Items(row, _values.GetDouble);

        private TItem[] Items<TItem>(int row, Func<int, TItem> get)
        {
            var (start, count) = Range(row);
            var result = new TItem[count];
            for (var i = 0; i < count; i++) result[i] = get(start + i);
            return result;
        }

        private (int Start, int Count) Range(int row)
        {
            if (_array.IsNull(row)) return (0, 0);
            var offsets = _array.ValueOffsets;
            return (offsets[row], offsets[row + 1] - offsets[row]);
        }
    }
}
