using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>One field of a contract record mapped to one Arrow column.</summary>
/// <typeparam name="T">The record type.</typeparam>
public abstract class ArrowColumn<T>
{
    /// <summary>Creates a column with its Arrow field.</summary>
    protected ArrowColumn(string name, IArrowType type, bool nullable) => Field = new Field(name, type, nullable);

    /// <summary>The Arrow field (name, type, nullability).</summary>
    public Field Field { get; }

    /// <summary>The column name.</summary>
    public string Name => Field.Name;

    /// <summary>Builds the column for a run of records.</summary>
    public abstract IArrowArray Build(ReadOnlySpan<T> rows);
}

/// <summary>Column factories: the vocabulary every contract schema is written in.</summary>
public static class Col
{
    /// <summary>Required int64.</summary>
    public static ArrowColumn<T> Int64<T>(string name, Func<T, long> get) => new PrimitiveColumn<T, long>(name, Int64Type.Default, get, (b, n) => new Int64Array(b, ArrowBuffer.Empty, n, 0, 0));

    /// <summary>Required int32.</summary>
    public static ArrowColumn<T> Int32<T>(string name, Func<T, int> get) => new PrimitiveColumn<T, int>(name, Int32Type.Default, get, (b, n) => new Int32Array(b, ArrowBuffer.Empty, n, 0, 0));

    /// <summary>Required event time in nanoseconds UTC.</summary>
    public static ArrowColumn<T> Time<T>(string name, Func<T, long> get) => new PrimitiveColumn<T, long>(name, FlowArrowTypes.TimestampNs, get, (b, n) => new TimestampArray(FlowArrowTypes.TimestampNs, b, ArrowBuffer.Empty, n, 0, 0));

    /// <summary>Required double (NaN is a value here; validation decides whether it is acceptable).</summary>
    public static ArrowColumn<T> Float64<T>(string name, Func<T, double> get) => new PrimitiveColumn<T, double>(name, DoubleType.Default, get, (b, n) => new DoubleArray(b, ArrowBuffer.Empty, n, 0, 0));

    /// <summary>Optional double.</summary>
    public static ArrowColumn<T> Float64<T>(string name, Func<T, double?> get) => new NullableDoubleColumn<T>(name, get);

    /// <summary>Boolean.</summary>
    public static ArrowColumn<T> Bool<T>(string name, Func<T, bool> get) => new BoolColumn<T>(name, get);

    /// <summary>Text; null only where <paramref name="nullable"/>.</summary>
    public static ArrowColumn<T> Utf8<T>(string name, Func<T, string?> get, bool nullable = false) => new StringColumn<T>(name, get, nullable);

    /// <summary>An enum stored as its snake_case name, readable in SQL and stable across reorderings of the enum.</summary>
    public static ArrowColumn<T> Enum<T, TEnum>(string name, Func<T, TEnum> get) where TEnum : struct, System.Enum =>
        new StringColumn<T>(name, r => EnumText<TEnum>.Name(get(r)), false);

    /// <summary>A list of strings.</summary>
    public static ArrowColumn<T> Utf8List<T>(string name, Func<T, IReadOnlyList<string>> get) =>
        new ListColumn<T, string, StringArray.Builder>(name, StringType.Default, get, (b, v) => b.Append(v));

    /// <summary>A list of doubles.</summary>
    public static ArrowColumn<T> Float64List<T>(string name, Func<T, IReadOnlyList<double>> get) =>
        new ListColumn<T, double, DoubleArray.Builder>(name, DoubleType.Default, get, (b, v) => b.Append(v));

    private sealed class PrimitiveColumn<T, TValue>(string name, IArrowType type, Func<T, TValue> get, Func<ArrowBuffer, int, IArrowArray> make)
        : ArrowColumn<T>(name, type, false) where TValue : struct
    {
        public override IArrowArray Build(ReadOnlySpan<T> rows)
        {
            var builder = new ArrowBuffer.Builder<TValue>(rows.Length);
            foreach (var row in rows) builder.Append(get(row));
            return make(builder.Build(), rows.Length);
        }
    }

    private sealed class NullableDoubleColumn<T>(string name, Func<T, double?> get) : ArrowColumn<T>(name, DoubleType.Default, true)
    {
        public override IArrowArray Build(ReadOnlySpan<T> rows)
        {
            var builder = new DoubleArray.Builder().Reserve(rows.Length);
            foreach (var row in rows) builder.Append(get(row));
            return builder.Build();
        }
    }

    private sealed class BoolColumn<T>(string name, Func<T, bool> get) : ArrowColumn<T>(name, BooleanType.Default, false)
    {
        public override IArrowArray Build(ReadOnlySpan<T> rows)
        {
            var builder = new BooleanArray.Builder().Reserve(rows.Length);
            foreach (var row in rows) builder.Append(get(row));
            return builder.Build();
        }
    }

    private sealed class StringColumn<T>(string name, Func<T, string?> get, bool nullable) : ArrowColumn<T>(name, StringType.Default, nullable)
    {
        public override IArrowArray Build(ReadOnlySpan<T> rows)
        {
            var builder = new StringArray.Builder().Reserve(rows.Length);
            foreach (var row in rows)
            {
                var value = get(row);
                if (value is null)
                {
                    if (!Field.IsNullable) throw new ArrowContractException($"field '{Name}' of {typeof(T).Name} is required but was null");
                    builder.AppendNull();
                }
                else
                {
                    builder.Append(value);
                }
            }
            return builder.Build();
        }
    }

    private sealed class ListColumn<T, TItem, TBuilder>(string name, IArrowType itemType, Func<T, IReadOnlyList<TItem>> get, Action<TBuilder, TItem> append)
        : ArrowColumn<T>(name, new ListType(new Field("item", itemType, false)), false) where TBuilder : IArrowArrayBuilder
    {
        public override IArrowArray Build(ReadOnlySpan<T> rows)
        {
            var builder = new ListArray.Builder(itemType);
            var values = (TBuilder)builder.ValueBuilder;
            foreach (var row in rows)
            {
                builder.Append();
                foreach (var v in get(row)) append(values, v);
            }
            return Retype(builder.Build(), (ListType)Field.DataType);
        }
    }

    // The list builder declares its item field nullable; the schema says items are required.
    private static ListArray Retype(ListArray built, ListType type) =>
        new(new ArrayData(type, built.Length, built.NullCount, built.Offset, built.Data.Buffers, built.Data.Children));
}
