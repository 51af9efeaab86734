using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace CroweLogic.Flow.Storage.Server;

/// <summary>An ArrowStream response body read batch by batch as it arrives over HTTP.</summary>
internal sealed class ServerBatchStream(IDisposable response, Stream body, ArrowStreamReader reader, string sql) : ArrowBatchStream
{
    /// <inheritdoc />
    public override Schema Schema => reader.Schema;

    /// <summary>Reads the schema message so it is known before the first batch.</summary>
    internal async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            await reader.GetSchema(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StoreQueryException(e.Message, sql);
        }
    }

    /// <inheritdoc />
    public override async ValueTask<RecordBatch?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch ? Count(batch) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Without wait_end_of_query a failure after the first block arrives inside the body, breaking the stream.
            throw new StoreQueryException(e.Message, sql);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        reader.Dispose();
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}
