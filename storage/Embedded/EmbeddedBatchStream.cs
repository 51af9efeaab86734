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
    private Action<bool>? _release;
    private NativeResult? _block;
    private ArrowStreamReader? _reader;
    private Schema _schema = new([], null);
    private bool _ended;
    private bool _anyBlock;
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
    /// nothing is left open and <paramref name="release"/> is not called; on success the stream calls it once, when
    /// disposed, saying whether the stream failed.
    /// </summary>
    internal static unsafe EmbeddedBatchStream Open(nint connection, string sql, Action<string, StatementStats>? log, Action<bool> release)
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
            stream.Close();
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
        if (block.Error is { } error && _anyBlock && error.Trim() == NoActiveStream)
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
        _anyBlock = true;
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

    private void Close()
    {
        DropBlock();
        // A stream that ended normally needs no cancel; one cut short or failed does.
        if (!_ended || _failed) LibChdbNative.StreamCancelQuery(_connection, Handle);
        ((IDisposable)_query).Dispose();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        var release = Interlocked.Exchange(ref _release, null);
        if (release is null) return ValueTask.CompletedTask;
        try
        {
            Close();
            _log?.Invoke(_sql, new StatementStats((ulong)RowsRead, 0, 0, _clock.Elapsed));
        }
        finally
        {
            release(_failed);
        }
        return ValueTask.CompletedTask;
    }
}
