using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Arrow;

/// <summary>Deep copies of record batches, for batches whose buffers belong to someone else (a store stream frees each block on the next read).</summary>
public static class BatchCopy
{
    /// <summary>A batch with the same schema and values in managed memory of its own.</summary>
    public static RecordBatch Deep(RecordBatch batch) =>
        new(batch.Schema, batch.Arrays.Select(a => ArrowArrayFactory.BuildArray(Copy(a.Data))), batch.Length);

    private static ArrayData Copy(ArrayData data) => new(
        data.DataType, data.Length, data.NullCount, data.Offset,
        data.Buffers.Select(b => b.IsEmpty ? ArrowBuffer.Empty : new ArrowBuffer(b.Span.ToArray())).ToArray(),
        data.Children?.Select(Copy).ToArray(),
        data.Dictionary is null ? null : Copy(data.Dictionary));
}
