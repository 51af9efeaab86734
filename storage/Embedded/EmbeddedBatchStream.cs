using System.Diagnostics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// A libchdb streaming query: the engine produces one block per fetch, each an ArrowStream of its own, so memory holds
/// one block at a time. Batches point into the block's native buffer (no copy); a block is freed when the next is fetched.
/// </summary>
internal sealed class EmbeddedBatchStream : ArrowBatchStream
{
    private readonly nint _connection;
    private readonly NativeResult _query;
    private readonly string _sql;
    private readonly Action<string, StatementStats>? _log;
    private readonly Stopwatch _clock;
    private Action? _release;
    private NativeResult? _block;
    private ArrowStreamReader? _reader;
    private Schema _schema = new([], null);
    private bool _ended;
    private int _blocks;
    private bool _failed;

    private const string NoActiveStream = "No active streaming query";

    private EmbeddedBatchStream(nint connection, NativeResult query, string sql, Action<string, StatementStats>? log)
    {
        _connection = connection;
        _query = query;
        _sql = sql;
        _log = log;
        _clock = Stopwatch.StartNew();
    }

    /// <inheritdoc />
    public override Schema Schema => _schema;

    /// <summary>
    /// Starts the query and reads its first block (which carries the schema, even for an empty result). On failure
    /// nothing is left open and <paramref name="release"/> is not called; on success the stream calls it once, when disposed.
    /// </summary>
    internal static unsafe EmbeddedBatchStream Open(nint connection, string sql, Action<string, StatementStats>? log, Action release)
    {
        var query = Encoding.UTF8.GetBytes(sql);
        var format = "ArrowStream"u8;
        nint handle;
        fixed (byte* q = query)
        fixed (byte* f = format)
        {
            handle = LibChdbNative.StreamQueryN(connection, q, (nuint)query.Length, f, (nuint)format.Length);
        }
        if (handle == 0) throw new StoreQueryException("libchdb returned no streaming result (out of memory?)", sql);
        var stream = new EmbeddedBatchStream(connection, new NativeResult(handle), sql, log);
        try
        {
            if (stream._query.Error is { } error) throw new StoreQueryException(error.Trim(), sql);
            stream.NextBlock();
            if (stream._reader is not null) stream._schema = stream._reader.Schema;
        }
        catch
        {
            stream.Close(cancel: !stream._ended || stream._failed);
            throw;
        }
        stream._release = release;
        return stream;
    }

    /// <inheritdoc />
    public override ValueTask<RecordBatch?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        while (_reader is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_reader.ReadNextRecordBatch() is { } batch)
            {
                if (batch.Length == 0) continue;
                return ValueTask.FromResult<RecordBatch?>(Count(batch));
            }
            NextBlock();
        }
        return ValueTask.FromResult<RecordBatch?>(null);
    }

    private void NextBlock()
    {
        DropBlock();
        if (_ended) return;
        var block = new NativeResult(LibChdbNative.StreamFetchResult(_connection, Handle));
        if (block.Error is { } error && _blocks > 0 && error.Trim() == NoActiveStream)
        {
            // libchdb 26.5 ends a stream whose last block was schema-only (an empty result) without an empty block;
            // the next fetch then reports no active stream (later releases return an empty result instead).
            ((IDisposable)block).Dispose();
            _ended = true;
            return;
        }
        if (block.Error is { } failure)
        {
            ((IDisposable)block).Dispose();
            _ended = _failed = true;
            throw new StoreQueryException(failure.Trim(), _sql);
        }
        _blocks++;
        if (block.Length == 0)
        {
            ((IDisposable)block).Dispose();
            _ended = true;
            return;
        }
        _block = block;
        _reader = new ArrowStreamReader(block.Memory);
    }

    private nint Handle => _query.Handle;

    private void DropBlock()
    {
        _reader?.Dispose();
        _reader = null;
        if (_block is not null) ((IDisposable)_block).Dispose();
        _block = null;
    }

    private void Close(bool cancel)
    {
        DropBlock();
        if (cancel) LibChdbNative.StreamCancelQuery(_connection, Handle);
        ((IDisposable)_query).Dispose();
        if (_failed) Resynchronise();
    }

    /// <summary>
    /// libchdb 26.5 leaks output of a stream that failed on its first block (the format's header, already written) into
    /// the connection's next result, which would then answer the wrong statement. A marker query absorbs the leftover:
    /// repeat until the marker itself comes back.
    /// </summary>
    private unsafe void Resynchronise()
    {
        var marker = "SELECT 'flow-resync'"u8;
        var csv = "CSV"u8;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            nint handle;
            fixed (byte* q = marker)
            fixed (byte* f = csv)
            {
                handle = LibChdbNative.QueryN(_connection, q, (nuint)marker.Length, f, (nuint)csv.Length);
            }
            if (handle == 0) break;
            using var result = new NativeResult(handle);
            if (result.Error is null && result.ToText().Trim() == "\"flow-resync\"") return;
        }
        throw new StoreQueryException("the embedded engine did not return to a clean state after a failed stream; reopen the store", _sql);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        var release = Interlocked.Exchange(ref _release, null);
        if (release is null) return ValueTask.CompletedTask;
        try
        {
            Close(cancel: !_ended || _failed);
            _log?.Invoke(_sql, new StatementStats((ulong)RowsRead, 0, 0, _clock.Elapsed));
        }
        finally
        {
            release();
        }
        return ValueTask.CompletedTask;
    }
}
