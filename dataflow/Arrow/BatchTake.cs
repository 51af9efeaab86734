using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Dataflow.Arrow;

/// <summary>
/// Selects rows of a record batch into a new one (Arrow's "take"): fixed-width columns copy their value bytes, strings
/// their offsets and bytes, validity is rebuilt. Selecting every row in order returns the batch itself (no copy), the
/// common case for agents that filter rarely.
/// </summary>
public static class BatchTake
{
    /// <summary>The rows at <paramref name="rows"/> (ascending or not), as a batch with the same schema.</summary>
    /// <exception cref="NotSupportedException">A column type other than fixed-width primitives, timestamps and UTF-8 strings.</exception>
    public static RecordBatch Rows(RecordBatch batch, ReadOnlySpan<int> rows)
    {
        if (rows.Length == batch.Length && IsIdentity(rows)) return batch;
        var arrays = new IArrowArray[batch.ColumnCount];
        for (var c = 0; c < arrays.Length; c++) arrays[c] = Take(batch.Column(c), rows, batch.Schema.FieldsList[c].Name);
        return new RecordBatch(batch.Schema, arrays, rows.Length);
    }

    private static bool IsIdentity(ReadOnlySpan<int> rows)
    {
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] != i) return false;
        }
        return true;
    }

    private static IArrowArray Take(IArrowArray array, ReadOnlySpan<int> rows, string name)
    {
        var data = array.Data;
        var (validity, nulls) = Validity(array, rows);
        ArrowBuffer[] buffers;
        if (array is StringArray strings)
        {
            var offsets = new ArrowBuffer.Builder<int>(rows.Length + 1);
            var bytes = new ArrowBuffer.Builder<byte>();
            offsets.Append(0);
            var length = 0;
            foreach (var row in rows)
            {
                var value = strings.GetBytes(row);
                bytes.Append(value);
                length += value.Length;
                offsets.Append(length);
            }
            buffers = [validity, offsets.Build(), bytes.Build()];
        }
        else if (data.DataType is FixedWidthType { BitWidth: var bits } && bits % 8 == 0 && data.Buffers.Length == 2)
        {
            var width = bits / 8;
            var source = data.Buffers[1].Span[(data.Offset * width)..];
            var target = new byte[rows.Length * width];
            for (var i = 0; i < rows.Length; i++) source.Slice(rows[i] * width, width).CopyTo(target.AsSpan(i * width, width));
            buffers = [validity, new ArrowBuffer(target)];
        }
        else throw new NotSupportedException($"column '{name}' of type {data.DataType.Name} cannot be filtered yet");
        return ArrowArrayFactory.BuildArray(new ArrayData(data.DataType, rows.Length, nulls, 0, buffers));
    }

    private static (ArrowBuffer Validity, int Nulls) Validity(IArrowArray array, ReadOnlySpan<int> rows)
    {
        if (array.NullCount == 0) return (ArrowBuffer.Empty, 0);
        var bitmap = new ArrowBuffer.BitmapBuilder(rows.Length);
        var nulls = 0;
        foreach (var row in rows)
        {
            var valid = array.IsValid(row);
            bitmap.Append(valid);
            if (!valid) nulls++;
        }
        return (bitmap.Build(), nulls);
    }
}
