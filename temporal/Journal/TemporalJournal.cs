using System.Text.Json;
using System.Threading.Channels;
using CroweLogic.Flow.Storage;
using Microsoft.Data.Sqlite;
using Temporalio.Api.History.V1;

namespace CroweLogic.Flow.Temporal.Journal;

/// <summary>
/// The embedded service's durable state in one SQLite file (<c>&lt;data-dir&gt;/temporal/journal.db</c>): namespaces,
/// every run's history events and the server-side state beside them. Writes arrive as batches in the engine's order
/// and are group-committed by one writer (WAL, synchronous=FULL), so a call is answered only once what it changed is
/// on disk, and a kill -9 loses nothing that was acknowledged. The file is checked on open and never silently reset.
/// </summary>
internal sealed class TemporalJournal : IAsyncDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly Channel<JournalBatch> _batches = Channel.CreateUnbounded<JournalBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private Exception? _failure;

    private TemporalJournal(string path, SqliteConnection connection, FileStream directoryLock)
    {
        Path = path;
        _connection = connection;
        _lock = directoryLock;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if absent) the journal under <paramref name="dataDirectory"/>, refusing a second service and a damaged file.</summary>
    public static TemporalJournal Open(string dataDirectory)
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), "temporal");
        Directory.CreateDirectory(dir);
        var lockPath = System.IO.Path.Combine(dir, "service.lock");
        var held = DirectoryLock.TryAcquire(lockPath, out var owner)
            ?? throw new TemporalJournalException($"the Temporal journal in {dir} is in use by another Temporal service ({owner}); one service per data directory: connect to it (flow.json, --temporal) or use another --data-dir");
        var path = System.IO.Path.Combine(dir, "journal.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        try
        {
            connection.Open();
            Check(connection, path);
            return new TemporalJournal(path, connection, held);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            held.Dispose();
            throw Corrupt(path, e.Message, e);
        }
        catch
        {
            connection.Dispose();
            held.Dispose();
            throw;
        }
    }

    private static TemporalJournalException Corrupt(string path, string why, Exception? inner = null) =>
        new($"the Temporal journal {path} is damaged ({why}); it was left untouched: restore it from a backup, or move it aside to start with an empty workflow history", inner);

    private static void Check(SqliteConnection connection, string path)
    {
        var check = Scalar(connection, "PRAGMA quick_check")?.ToString();
        if (check != "ok") throw Corrupt(path, $"quick_check: {check}");
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"));
        var tables = Convert.ToInt32(Scalar(connection, "SELECT count() FROM sqlite_master WHERE type = 'table'"));
        if (version == 0 && tables == 0)
        {
            Execute(connection, """
                CREATE TABLE namespaces (name TEXT PRIMARY KEY);
                CREATE TABLE search_attributes (namespace TEXT NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL, PRIMARY KEY (namespace, name));
                CREATE TABLE runs (run_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, open INTEGER NOT NULL, close_time INTEGER, state TEXT NOT NULL);
                CREATE TABLE events (run_id TEXT NOT NULL, event_id INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, event_id)) WITHOUT ROWID;
                INSERT INTO namespaces VALUES ('default');
                PRAGMA user_version = 1;
                """);
        }
        else if (version != SchemaVersion)
            throw new TemporalJournalException($"{path} is not a CroweLogic.Flow Temporal journal of schema {SchemaVersion} (user_version {version}, {tables} tables); it was left untouched");
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    }

    /// <summary>Reads everything back, dropping closed runs older than <paramref name="retention"/>.</summary>
    public JournalContents Load(TimeSpan retention)
    {
        var cutoff = (DateTime.UtcNow - retention).Ticks;
        using (var purge = _connection.CreateCommand())
        {
            purge.CommandText = """
                DELETE FROM events WHERE run_id IN (SELECT run_id FROM runs WHERE open = 0 AND close_time < $cutoff);
                DELETE FROM runs WHERE open = 0 AND close_time < $cutoff;
                """;
            purge.Parameters.AddWithValue("$cutoff", cutoff);
            purge.ExecuteNonQuery();
        }
        var namespaces = new List<string>();
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT name FROM namespaces";
            using var reader = read.ExecuteReader();
            while (reader.Read()) namespaces.Add(reader.GetString(0));
        }
        var searchAttributes = new List<SearchAttributeChange>();
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT namespace, name, type FROM search_attributes";
            using var reader = read.ExecuteReader();
            while (reader.Read()) searchAttributes.Add(new SearchAttributeChange(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        var runs = new List<LoadedRun>();
        var byId = new Dictionary<string, LoadedRun>(StringComparer.Ordinal);
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT run_id, seq, state FROM runs ORDER BY seq";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var runId = reader.GetString(0);
                RunRecord record;
                try
                {
                    record = JsonSerializer.Deserialize(reader.GetString(2), RunRecordJson.Default.RunRecord) ?? throw new JsonException("null record");
                }
                catch (JsonException e)
                {
                    throw Corrupt(Path, $"the state of run {runId} does not parse: {e.Message}", e);
                }
                var run = new LoadedRun(reader.GetInt64(1), record, []);
                runs.Add(run);
                byId[runId] = run;
            }
        }
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT run_id, event_id, data FROM events ORDER BY run_id, event_id";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var runId = reader.GetString(0);
                var eventId = reader.GetInt64(1);
                if (!byId.TryGetValue(runId, out var run)) throw Corrupt(Path, $"event {eventId} belongs to no run ({runId})");
                HistoryEvent e;
                try
                {
                    e = HistoryEvent.Parser.ParseFrom((byte[])reader.GetValue(2));
                }
                catch (Google.Protobuf.InvalidProtocolBufferException ex)
                {
                    throw Corrupt(Path, $"event {eventId} of run {runId} does not parse: {ex.Message}", ex);
                }
                if (e.EventId != eventId || eventId != run.Events.Count + 1)
                    throw Corrupt(Path, $"run {runId}'s history has a gap or a misplaced event at {eventId}");
                run.Events.Add(e);
            }
        }
        foreach (var run in runs)
            if (run.Events.Count == 0) throw Corrupt(Path, $"run {run.Record.RunId} has no history");
        return new JournalContents(namespaces, searchAttributes, runs);
    }

    /// <summary>Queues a batch; the task completes when it is committed (or faults with the write's error).</summary>
    public Task Append(JournalBatch batch)
    {
        if (_failure is { } failure) return Task.FromException(Failed(failure));
        if (!_batches.Writer.TryWrite(batch)) return Task.FromException(new TemporalJournalException("the Temporal journal is closed"));
        return batch.Done.Task;
    }

    private TemporalJournalException Failed(Exception e) =>
        new($"the Temporal journal {Path} could not write ({e.Message}); the service refuses changes until it is restarted", e);

    private async Task WriteLoopAsync()
    {
        using var upsert = _connection.CreateCommand();
        upsert.CommandText = "INSERT INTO runs VALUES ($run, $seq, $open, $close, $state) ON CONFLICT (run_id) DO UPDATE SET open = excluded.open, close_time = excluded.close_time, state = excluded.state";
        var (uRun, uSeq, uOpen, uClose, uState) = (upsert.Parameters.Add("$run", SqliteType.Text), upsert.Parameters.Add("$seq", SqliteType.Integer),
            upsert.Parameters.Add("$open", SqliteType.Integer), upsert.Parameters.Add("$close", SqliteType.Integer), upsert.Parameters.Add("$state", SqliteType.Text));
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO events VALUES ($run, $id, $data)";
        var (iRun, iId, iData) = (insert.Parameters.Add("$run", SqliteType.Text), insert.Parameters.Add("$id", SqliteType.Integer), insert.Parameters.Add("$data", SqliteType.Blob));
        using var addNamespace = _connection.CreateCommand();
        addNamespace.CommandText = "INSERT OR IGNORE INTO namespaces VALUES ($name)";
        var nName = addNamespace.Parameters.Add("$name", SqliteType.Text);
        using var setAttribute = _connection.CreateCommand();
        setAttribute.CommandText = "INSERT INTO search_attributes VALUES ($ns, $name, $type) ON CONFLICT (namespace, name) DO UPDATE SET type = excluded.type";
        var (sNs, sName, sType) = (setAttribute.Parameters.Add("$ns", SqliteType.Text), setAttribute.Parameters.Add("$name", SqliteType.Text), setAttribute.Parameters.Add("$type", SqliteType.Integer));
        using var removeAttribute = _connection.CreateCommand();
        removeAttribute.CommandText = "DELETE FROM search_attributes WHERE namespace = $ns AND name = $name";
        var (rNs, rName) = (removeAttribute.Parameters.Add("$ns", SqliteType.Text), removeAttribute.Parameters.Add("$name", SqliteType.Text));
        var pending = new List<JournalBatch>();
        while (await _batches.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            pending.Clear();
            while (pending.Count < 512 && _batches.Reader.TryRead(out var next)) pending.Add(next);
            try
            {
                using var transaction = _connection.BeginTransaction();
                foreach (var command in new[] { upsert, insert, addNamespace, setAttribute, removeAttribute }) command.Transaction = transaction;
                foreach (var batch in pending)
                {
                    foreach (var name in batch.Namespaces)
                    {
                        nName.Value = name;
                        addNamespace.ExecuteNonQuery();
                    }
                    foreach (var change in batch.SearchAttributes)
                    {
                        if (change.Type < 0)
                        {
                            (rNs.Value, rName.Value) = (change.Namespace, change.Name);
                            removeAttribute.ExecuteNonQuery();
                        }
                        else
                        {
                            (sNs.Value, sName.Value, sType.Value) = (change.Namespace, change.Name, change.Type);
                            setAttribute.ExecuteNonQuery();
                        }
                    }
                    foreach (var run in batch.Runs)
                    {
                        (uRun.Value, uSeq.Value, uOpen.Value, uClose.Value, uState.Value) = (run.RunId, run.Sequence, run.Open ? 1 : 0, run.CloseTicks is { } c ? c : DBNull.Value, run.State);
                        upsert.ExecuteNonQuery();
                        for (var i = 0; i < run.Events.Count; i++)
                        {
                            (iRun.Value, iId.Value, iData.Value) = (run.RunId, run.FirstEventId + i, run.Events[i]);
                            insert.ExecuteNonQuery();
                        }
                    }
                }
                transaction.Commit();
                foreach (var batch in pending) batch.Done.TrySetResult();
            }
            catch (Exception e)
            {
                _failure = e;
                var failed = Failed(e);
                foreach (var batch in pending) batch.Done.TrySetException(failed);
                while (_batches.Reader.TryRead(out var rest)) rest.Done.TrySetException(failed);
            }
        }
    }

    private int _disposed;

    /// <summary>Commits what is queued, then closes the file and releases the lock (once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _batches.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
