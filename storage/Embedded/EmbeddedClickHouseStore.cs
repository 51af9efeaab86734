using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// The ClickHouse engine in-process through libchdb's C API. Data lives in a directory and survives
/// restarts. One store holds a directory at a time (an exclusive lock file); libchdb keeps one engine
/// per process, so a process opens one embedded store at a time. Calls are serialised: the engine
/// parallelises each query internally.
/// </summary>
public sealed class EmbeddedClickHouseStore : IFlowStore
{
    private static readonly object ProcessGate = new();
    private static EmbeddedClickHouseStore? s_open;

    // Arrow output without LZ4 frames (zero-copy readers) and with strings as utf8, not binary.
    private static readonly string[] SessionSettings =
    [
        "SET output_format_arrow_compression_method = 'none'",
        "SET output_format_arrow_string_as_string = 1",
        "SET output_format_arrow_low_cardinality_as_dictionary = 0",
        "SET output_format_arrow_fixed_string_as_fixed_byte_array = 0",
        // libchdb 26.5's parallel Arrow encoder can deadlock (chdb-core issue 212, fixed upstream in 2026-09):
        // ArrowStream queries then hang forever at random. Serial encoding measured no slower here.
        "SET output_format_arrow_parallel_encoding = 0",
        "SET input_format_arrow_allow_missing_columns = 0",
        "SET date_time_output_format = 'iso'",
        // The default fast parser reads 5,586 of 100,000 four-decimal prices in [1, 11) one ulp off ('1.9542' → 1.9542000000000002);
        // a price read from a vendor's text must be the nearest double, as every other parser gives it.
        "SET precise_float_parsing = 1",
        // INSERT … SELECT is single-threaded by default; two threads measured 2-4x faster into MergeTree here.
        $"SET max_insert_threads = {Environment.ProcessorCount}",
    ];

    /// <summary>The settings every statement on the engine's session runs with (name → value, as SET gives them).</summary>
    public static IReadOnlyDictionary<string, string> SessionSettingValues { get; } = SessionSettings
        .Select(set => set["SET ".Length..].Split('=', 2, StringSplitOptions.TrimEntries))
        .ToDictionary(p => p[0], p => p[1].Trim('\''), StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileStream _lock;
    private nint _connectionHandle;
    private nint _connection;

    private EmbeddedClickHouseStore(string dataDirectory, FileStream directoryLock, nint connectionHandle)
    {
        DataDirectory = dataDirectory;
        _lock = directoryLock;
        _connectionHandle = connectionHandle;
        _connection = Marshal.ReadIntPtr(connectionHandle);
    }

    /// <summary>Receives every statement with its engine statistics (for --verbose and profiling).</summary>
    public Action<string, StatementStats>? StatementLog { get; set; }

    /// <summary>The data directory.</summary>
    public string DataDirectory { get; }

    /// <inheritdoc />
    public string Description => $"embedded ClickHouse (libchdb {LibChdbLocator.Version}) at {DataDirectory}";

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="dataDirectory"/>.
    /// </summary>
    /// <exception cref="StoreLockedException">The directory is held by another store.</exception>
    /// <exception cref="LibChdbMissingException">libchdb is not installed and may not be installed now.</exception>
    public static EmbeddedClickHouseStore Open(string dataDirectory, bool allowInstall = true, Action<string>? progress = null)
    {
        var library = LibChdbLocator.Resolve(allowInstall, progress);
        LibChdbNative.Bind(library);

        var dir = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dir);
        var directoryLock = LockDirectory(dir);
        try
        {
            lock (ProcessGate)
            {
                if (s_open is not null)
                    throw new StoreLockedException(
                        $"this process already has an embedded store open at {s_open.DataDirectory}; libchdb runs one engine per process. Dispose it first, or use a ClickHouse server for several databases.");
                // The engine installs ClickHouse's fatal-signal handlers while it starts; the runtime needs its own back.
                var store = HostSignalHandlers.Preserve(() =>
                {
                    var opened = new EmbeddedClickHouseStore(dir, directoryLock, Connect(dir));
                    foreach (var setting in SessionSettings) DisposeResult(opened.Run(setting, "CSV"));
                    return opened;
                });
                s_open = store;
                return store;
            }
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Whether some process holds the data directory's lock (an open embedded store).</summary>
    public static bool IsLocked(string dataDirectory) => DirectoryLock.IsHeld(Path.Combine(Path.GetFullPath(dataDirectory), ".flow.lock"));

    private static FileStream LockDirectory(string dir)
    {
        if (DirectoryLock.TryAcquire(Path.Combine(dir, ".flow.lock"), out var owner) is { } held) return held;
        if (DirectoryLock.HeldByThisProcess(owner))
            throw new StoreLockedException($"the data directory {dir} is already open in this process; share that store instead of opening it twice.");
        throw new StoreLockedException(
            $"the data directory {dir} is in use by another process ({owner}). Stop it, or point --data-dir / FLOW_DATA_DIR at another directory.");
    }

    private static unsafe nint Connect(string dir)
    {
        string[] args = ["clickhouse", $"--path={dir}"];
        var argv = stackalloc nint[args.Length];
        try
        {
            for (var i = 0; i < args.Length; i++) argv[i] = Marshal.StringToCoTaskMemUTF8(args[i]);
            var handle = LibChdbNative.Connect(args.Length, argv);
            if (handle == 0 || Marshal.ReadIntPtr(handle) == 0)
                throw new StoreQueryException($"libchdb could not open a connection on {dir}", "chdb_connect");
            return handle;
        }
        finally
        {
            for (var i = 0; i < args.Length; i++) Marshal.FreeCoTaskMem(argv[i]);
        }
    }

    /// <inheritdoc />
    public Task<StatementStats> ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        Serialized(() =>
        {
            using var result = Run(sql, "CSV");
            return result.Stats;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ArrowQueryResult> QueryArrowAsync(string sql, CancellationToken cancellationToken = default) =>
        Serialized(() => ReadArrow(sql), cancellationToken);

    private ArrowQueryResult ReadArrow(string sql)
    {
        NativeResult? result = null;
        try
        {
            result = Run(sql, "ArrowStream");
            if (result.Length == 0)
            {
                var empty = new ArrowQueryResult(null, [], result.Stats, null);
                DisposeResult(result);
                return empty;
            }
            var reader = new ArrowStreamReader(result.Memory);
            var batches = new List<RecordBatch>();
            while (reader.ReadNextRecordBatch() is { } batch) batches.Add(batch);
            return new ArrowQueryResult(reader.Schema, batches, result.Stats, result);
        }
        catch
        {
            if (result is not null) DisposeResult(result);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<ArrowBatchStream> StreamArrowAsync(string sql, CancellationToken cancellationToken = default)
    {
        // The gate stays taken until the stream is disposed: a statement run between two fetches would take over the
        // connection's stream (measured: its output arrives as the stream's next block and the stream ends).
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_connection == 0, this);
            return EmbeddedBatchStream.Open(_connection, sql, StatementLog, failed =>
            {
                try
                {
                    if (failed) Resynchronise(sql);
                }
                finally
                {
                    _gate.Release();
                }
            });
        }
        catch (StoreQueryException)
        {
            try
            {
                Resynchronise(sql);
            }
            finally
            {
                _gate.Release();
            }
            throw;
        }
        catch
        {
            _gate.Release();
            throw;
        }
    }

    /// <summary>
    /// libchdb 26.5 leaks output of a stream that failed on its first block (the format's header, already written) into
    /// the connection's next result, which would then answer the wrong statement. A marker query absorbs the leftover:
    /// repeat until the marker itself comes back.
    /// </summary>
    private void Resynchronise(string failedSql)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            try
            {
                using var result = Run("SELECT 'flow-resync'", "CSV");
                if (result.ToText().Trim() == "\"flow-resync\"") return;
            }
            catch (StoreQueryException)
            {
                // A leftover error is absorbed like leftover output; the next attempt checks again.
            }
        }
        throw new StoreQueryException("the embedded engine did not return to a clean state after a failed stream; reopen the store", failedSql);
    }

    /// <inheritdoc />
    public Task<byte[]> QueryFormattedAsync(string sql, string format, CancellationToken cancellationToken = default) =>
        Serialized(() =>
        {
            using var result = Run(sql, format);
            return result.ToArray();
        }, cancellationToken);

    /// <summary>
    /// Runs one statement for a client of the engine (the ClickHouse HTTP interface): in <see cref="EmbeddedRequest.Database"/>,
    /// with <see cref="EmbeddedRequest.Settings"/> set for it alone. The engine has one session, shared by every user of
    /// the store, so the database and each setting are put back as they were before the next statement runs.
    /// </summary>
    /// <exception cref="StoreQueryException">The engine refused the statement, a setting or the database (ClickHouse's own message).</exception>
    public Task<EmbeddedResponse> RunAsync(EmbeddedRequest request, CancellationToken cancellationToken = default) =>
        Serialized(() =>
        {
            var restore = new Stack<string>();
            var failed = false;
            try
            {
                if (request.Database is { Length: > 0 } database)
                {
                    var current = Scalar("SELECT currentDatabase()");
                    if (current != database)
                    {
                        DisposeResult(Run($"USE {Sql.Identifier(database)}", "CSV"));
                        restore.Push($"USE {Sql.Identifier(current)}");
                    }
                }
                if (request.Settings.Count > 0)
                {
                    var names = string.Join(", ", request.Settings.Select(s => Sql.Literal(s.Key)));
                    var current = Scalar($"SELECT name, value FROM system.settings WHERE name IN ({names})")
                        .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t', 2)).ToDictionary(p => p[0], p => Unescape(p[1]), StringComparer.Ordinal);
                    foreach (var (name, value) in request.Settings)
                    {
                        // A query parameter has no earlier value; it is emptied afterwards so the next statement cannot read it.
                        var before = current.TryGetValue(name, out var v) ? v : name.StartsWith("param_", StringComparison.Ordinal) ? "" : null;
                        DisposeResult(Run($"SET {Sql.Identifier(name)} = {Sql.Literal(value)}", "CSV"));
                        if (before is not null) restore.Push($"SET {Sql.Identifier(name)} = {Sql.Literal(before)}");
                    }
                }
                using var result = Run(request.Sql, request.Format);
                return new EmbeddedResponse(result.ToArray(), result.Stats);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                while (restore.TryPop(out var statement))
                {
                    try
                    {
                        DisposeResult(Run(statement, "CSV"));
                    }
                    catch (StoreQueryException e) when (failed)
                    {
                        // The statement's own error is what its client must see; the session is put back as far as it goes.
                        StatementLog?.Invoke($"{statement} (restoring after a failed request: {e.Message})", default);
                    }
                }
            }
        }, cancellationToken);

    private string Scalar(string sql)
    {
        using var result = Run(sql, "TabSeparated");
        return Encoding.UTF8.GetString(result.ToArray()).TrimEnd('\n');
    }

    // TabSeparated escapes backslash, tab and newline.
    private static string Unescape(string value) => value.Contains('\\') ? value.Replace("\\t", "\t").Replace("\\n", "\n").Replace("\\\\", "\\") : value;

    /// <inheritdoc />
    public Task<StatementStats> InsertArrowAsync(string table, Schema schema, IEnumerable<RecordBatch> batches, Func<string, string>? query = null, CancellationToken cancellationToken = default) =>
        Serialized(() => InsertArrow(table, schema, batches, query ?? SelectAll, cancellationToken), cancellationToken);

    private static string SelectAll(string source) => $"SELECT * FROM {source}";

    private unsafe StatementStats InsertArrow(string table, Schema schema, IEnumerable<RecordBatch> batches, Func<string, string> query, CancellationToken cancellationToken)
    {
        // One registered stream per core, fed from one shared enumerator, read as UNION ALL branches: the
        // engine scans each branch on its own thread (a single arrowstream() is read by one thread).
        var source = new SharedBatchSource(batches, cancellationToken);
        var streamCount = Math.Max(1, Environment.ProcessorCount);
        var names = new byte[streamCount][];
        var streams = new CArrowArrayStream*[streamCount];
        var registered = 0;
        try
        {
            for (var i = 0; i < streamCount; i++)
            {
                names[i] = Encoding.UTF8.GetBytes($"flow_arrow_{Guid.NewGuid():N}\0");
                streams[i] = CArrowArrayStream.Create();
                CArrowArrayStreamExporter.ExportArrayStream(new BatchStream(schema, source), streams[i]);
                fixed (byte* namePtr = names[i])
                {
                    if (LibChdbNative.ArrowScan(_connection, namePtr, streams[i]) != 0)
                        throw new StoreQueryException($"libchdb refused to register an Arrow stream for {table}", "chdb_arrow_scan");
                }
                registered++;
            }
            var branches = names.Select(n => $"SELECT * FROM arrowstream({Encoding.UTF8.GetString(n, 0, n.Length - 1)})");
            var relation = streamCount == 1 ? branches.Single()[14..] : $"({string.Join(" UNION ALL ", branches)})";
            using var result = Run($"INSERT INTO {table} {query(relation)}", "CSV");
            source.ThrowIfFailed();
            return result.Stats;
        }
        finally
        {
            for (var i = 0; i < registered; i++)
            {
                fixed (byte* namePtr = names[i]) LibChdbNative.ArrowUnregister(_connection, namePtr);
            }
            for (var i = 0; i < streamCount; i++)
            {
                if (streams[i] != null) CArrowArrayStream.Free(streams[i]);
            }
        }
    }

    /// <inheritdoc />
    public Task<StatementStats> InsertFileAsync(string table, string path, string format, string structure, Func<string, string>? query = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"INSERT INTO {table} {(query ?? SelectAll)($"file({Sql.Literal(Path.GetFullPath(path))}, {format}, {Sql.Literal(structure)})")}", cancellationToken);

    private async Task<T> Serialized<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void DisposeResult(NativeResult result) => ((IDisposable)result).Dispose();

    private NativeResult Run(string sql, string format) => Run(Encoding.UTF8.GetBytes(sql), format, sql);

    private unsafe NativeResult Run(byte[] sql, string format, string display)
    {
        ObjectDisposedException.ThrowIf(_connection == 0, this);
        var formatBytes = Encoding.UTF8.GetBytes(format);
        nint handle;
        fixed (byte* q = sql)
        fixed (byte* f = formatBytes)
        {
            handle = LibChdbNative.QueryN(_connection, q, (nuint)sql.Length, f, (nuint)formatBytes.Length);
        }
        if (handle == 0) throw new StoreQueryException("libchdb returned no result (out of memory?)", display);
        var result = new NativeResult(handle);
        StatementLog?.Invoke(display, result.Stats);
        if (result.Error is { } error)
        {
            DisposeResult(result);
            throw new StoreQueryException(error.Trim(), display);
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            var handle = Interlocked.Exchange(ref _connectionHandle, 0);
            if (handle == 0) return;
            _connection = 0;
            LibChdbNative.CloseConnection(handle);
            lock (ProcessGate) s_open = null;
            _lock.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands the caller's batches to several engine threads, each batch once.</summary>
    private sealed class SharedBatchSource(IEnumerable<RecordBatch> batches, CancellationToken cancellationToken)
    {
        private readonly IEnumerator<RecordBatch> _enumerator = batches.GetEnumerator();
        private readonly object _gate = new();
        private bool _done;
        private Exception? _failure;

        public RecordBatch? Next()
        {
            lock (_gate)
            {
                if (_done) return null;
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (_enumerator.MoveNext()) return _enumerator.Current.Clone();
                }
                catch (Exception e)
                {
                    // Surface producer failures after the query instead of letting the engine see a short stream.
                    _failure = e;
                }
                _done = true;
                _enumerator.Dispose();
                return null;
            }
        }

        public void ThrowIfFailed()
        {
            if (_failure is not null) throw new StoreQueryException($"the Arrow batches could not be produced: {_failure.Message}", "arrowstream");
        }
    }

    /// <summary>Presents the shared batches as one Arrow C stream.</summary>
    private sealed class BatchStream(Schema schema, SharedBatchSource source) : IArrowArrayStream
    {
        public Schema Schema => schema;

        // The consumer releases exported batches, so each is a clone that owns nothing of the caller's.
        public ValueTask<RecordBatch?> ReadNextRecordBatchAsync(CancellationToken token = default) => ValueTask.FromResult(source.Next());

        public void Dispose()
        {
        }
    }
}
