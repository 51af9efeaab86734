using Apache.Arrow;

namespace CroweLogic.Flow.Storage;

/// <summary>
/// A query result read batch by batch, so results larger than memory flow through with a bounded footprint.
/// Each batch stays valid until the next <see cref="ReadNextAsync"/> call or disposal; dispose early to cancel the query.
/// </summary>
public abstract class ArrowBatchStream : IAsyncDisposable
{
    /// <summary>The result schema (known before the first batch, also for an empty result).</summary>
    public abstract Schema Schema { get; }

    /// <summary>Rows handed out so far.</summary>
    public long RowsRead { get; protected set; }

    /// <summary>Batches handed out so far.</summary>
    public long BatchesRead { get; protected set; }

    /// <summary>The next batch, or null at the end of the result.</summary>
    /// <exception cref="StoreQueryException">The engine failed while producing the result; the message is ClickHouse's.</exception>
    public abstract ValueTask<RecordBatch?> ReadNextAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts a batch handed to the caller.</summary>
    protected RecordBatch Count(RecordBatch batch)
    {
        RowsRead += batch.Length;
        BatchesRead++;
        return batch;
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
