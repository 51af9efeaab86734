using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// Typed column access for the lane's hot loops: the Arrow arrays behind the market schemas, read through their value
/// buffers. Timestamps may be Arrow timestamps in nanoseconds or plain 64-bit integers.
/// </summary>
public static class LaneColumns
{
    /// <summary>The column's array.</summary>
    /// <exception cref="ArgumentException">The batch has no such column.</exception>
    public static IArrowArray Column(RecordBatch batch, string name, string agent)
    {
        var index = batch.Schema.GetFieldIndex(name);
        return index >= 0 ? batch.Column(index) : throw new ArgumentException($"the batch has no '{name}' column; {agent} needs it");
    }

    /// <summary>A 64-bit integer or nanosecond timestamp column.</summary>
    public static ReadOnlySpan<long> Int64s(RecordBatch batch, string name, string agent) => Column(batch, name, agent) switch
    {
        TimestampArray { Data.DataType: TimestampType { Unit: TimeUnit.Nanosecond } } t => t.Values,
        TimestampArray t => throw new ArgumentException($"column '{name}' must be nanosecond timestamps for {agent}, got {((TimestampType)t.Data.DataType).Unit}"),
        Int64Array i => i.Values,
        var other => throw new ArgumentException($"column '{name}' must be 64-bit integers for {agent}, got {other.Data.DataType.Name}"),
    };

    /// <summary>A 64-bit float column (nulls read as NaN through <see cref="DoubleAt"/>).</summary>
    public static DoubleArray Doubles(RecordBatch batch, string name, string agent) =>
        Column(batch, name, agent) as DoubleArray ?? throw new ArgumentException($"column '{name}' must be 64-bit floats for {agent}");

    /// <summary>The value at <paramref name="row"/>, NaN when null.</summary>
    public static double DoubleAt(DoubleArray array, int row) => array.IsNull(row) ? double.NaN : array.Values[row];

    /// <summary>A small integer column (the tick kind), widened.</summary>
    public static int IntAt(IArrowArray array, int row) => array switch
    {
        UInt8Array u8 => u8.Values[row],
        Int8Array i8 => i8.Values[row],
        Int32Array i32 => i32.Values[row],
        Int64Array i64 => (int)i64.Values[row],
        UInt16Array u16 => u16.Values[row],
        Int16Array i16 => i16.Values[row],
        _ => throw new ArgumentException($"the kind column must be an integer, got {array.Data.DataType.Name}"),
    };

    /// <summary>
    /// A float column as one span with NaN for nulls, read once per batch instead of through per-row accessors (which
    /// re-slice the value buffer and test the validity bitmap on every call). Without nulls it is the value buffer itself.
    /// </summary>
    public static ReadOnlySpan<double> DoublesOrNaN(DoubleArray array, ref double[] scratch)
    {
        var values = array.Values;
        if (array.NullCount == 0) return values;
        if (scratch.Length < values.Length) scratch = new double[values.Length];
        var into = scratch.AsSpan(0, values.Length);
        values.CopyTo(into);
        var validity = array.NullBitmapBuffer.Span;
        var offset = array.Offset;
        for (var row = 0; row < into.Length; row++)
        {
            var bit = offset + row;
            if ((validity[bit >> 3] & (1 << (bit & 7))) == 0) into[row] = double.NaN;
        }
        return into;
    }

    /// <summary>A small integer column (the tick kind) as bytes, read once per batch.</summary>
    public static ReadOnlySpan<byte> Bytes(IArrowArray array, ref byte[] scratch)
    {
        if (array is UInt8Array u8) return u8.Values;
        if (scratch.Length < array.Length) scratch = new byte[array.Length];
        for (var row = 0; row < array.Length; row++) scratch[row] = (byte)IntAt(array, row);
        return scratch.AsSpan(0, array.Length);
    }
}
