using System.IO.Pipelines;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using ClickHouse.Driver;

namespace CroweLogic.Flow.Storage.Server;

/// <summary>
/// A ClickHouse server (or cluster endpoint) over HTTP through ClickHouse.Driver. Same SQL as the
/// embedded store; Arrow travels as ArrowStream request and response bodies.
/// </summary>
public sealed class ClickHouseServerStore : IFlowStore
{
    /// <summary>Environment variable holding the server connection string or URL.</summary>
    public const string UrlVariable = "CLICKHOUSE_URL";

    private readonly ClickHouseClient _client;
    private readonly string _endpoint;

    private ClickHouseServerStore(ClickHouseClient client, string endpoint, string description)
    {
        _client = client;
        _endpoint = endpoint;
        Description = description;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// Connects to a server given as a URL (http://user:password@host:8123/database) or a ClickHouse.Driver connection string.
    /// </summary>
    /// <param name="urlOrConnectionString">The server.</param>
    /// <param name="cancellationToken">Cancels the ping.</param>
    /// <param name="description">What to call the server in <see cref="Description"/> (default: its address).</param>
    public static async Task<ClickHouseServerStore> ConnectAsync(string urlOrConnectionString, CancellationToken cancellationToken = default, string? description = null)
    {
        var connectionString = ToConnectionString(urlOrConnectionString, out var endpoint);
        var client = new ClickHouseClient(connectionString);
        var store = new ClickHouseServerStore(client, endpoint, description ?? $"ClickHouse server at {endpoint}");
        try
        {
            if (!await client.PingAsync(null, cancellationToken).ConfigureAwait(false))
                throw new StoreQueryException($"the ClickHouse server at {endpoint} did not answer a ping", "ping");
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static string ToConnectionString(string value, out string endpoint)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            endpoint = "(connection string)";
            return value;
        }
        var parts = new List<string> { $"Host={uri.Host}", $"Port={uri.Port}", $"Protocol={uri.Scheme}" };
        if (uri.UserInfo.Split(':', 2) is [{ Length: > 0 } user, ..] userInfo)
        {
            parts.Add($"Username={Uri.UnescapeDataString(user)}");
            if (userInfo.Length > 1) parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        }
        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0) parts.Add($"Database={database}");
        endpoint = $"{uri.Scheme}://{uri.Host}:{uri.Port}/{database}";
        return string.Join(';', parts);
    }

    private static QueryOptions Options(string? defaultFormat = null, bool waitEndOfQuery = true)
    {
        var settings = new Dictionary<string, object>
        {
            ["output_format_arrow_compression_method"] = "none",
            ["output_format_arrow_string_as_string"] = 1,
            ["output_format_arrow_low_cardinality_as_dictionary"] = 0,
            ["date_time_output_format"] = "iso",
            ["precise_float_parsing"] = 1, // as the embedded session: text prices read to the nearest double
            ["wait_end_of_query"] = waitEndOfQuery ? 1 : 0,
            ["max_insert_threads"] = 4,
        };
        if (defaultFormat is not null) settings["default_format"] = defaultFormat;
        return new QueryOptions { CustomSettings = settings };
    }

    /// <inheritdoc />
    public async Task<StatementStats> ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await Post(sql, Stream.Null, cancellationToken).ConfigureAwait(false);
        return Summary(response);
    }

    /// <inheritdoc />
    public async Task<ArrowQueryResult> QueryArrowAsync(string sql, CancellationToken cancellationToken = default)
    {
        var bytes = await QueryFormattedAsync(sql, "ArrowStream", cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0) return new ArrowQueryResult(null, [], default, null);
        var reader = new ArrowStreamReader(new ReadOnlyMemory<byte>(bytes));
        var batches = new List<RecordBatch>();
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch) batches.Add(batch);
        return new ArrowQueryResult(reader.Schema, batches, default, reader);
    }

    /// <inheritdoc />
    public async Task<ArrowBatchStream> StreamArrowAsync(string sql, CancellationToken cancellationToken = default)
    {
        // Not waiting for the end of the query lets the server send blocks as they are produced (bounded memory on both sides).
        ClickHouse.Driver.ADO.ClickHouseRawResult raw;
        try
        {
            raw = await _client.ExecuteRawResultAsync(sql, Options("ArrowStream", waitEndOfQuery: false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreQueryException)
        {
            throw Failure(e, sql);
        }
        try
        {
            var body = await raw.ReadDecompressedStreamAsync().ConfigureAwait(false);
            var stream = new ServerBatchStream(raw, body, new ArrowStreamReader(body, leaveOpen: true), sql);
            await stream.OpenAsync(cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]> QueryFormattedAsync(string sql, string format, CancellationToken cancellationToken = default)
    {
        try
        {
            using var result = await _client.ExecuteRawResultAsync(sql, Options(format), cancellationToken).ConfigureAwait(false);
            return await result.ReadAsByteArrayAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreQueryException)
        {
            throw Failure(e, sql);
        }
    }

    /// <inheritdoc />
    public async Task<StatementStats> InsertArrowAsync(string table, Schema schema, IEnumerable<RecordBatch> batches, Func<string, string>? query = null, CancellationToken cancellationToken = default)
    {
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var stream = pipe.Writer.AsStream();
                using var arrow = new ArrowStreamWriter(stream, schema, leaveOpen: true);
                foreach (var batch in batches) await arrow.WriteRecordBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                await arrow.WriteEndAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e).ConfigureAwait(false);
                throw;
            }
        }, cancellationToken);
        var source = $"input({Sql.Literal(ClickHouseTypes.Structure(schema))})";
        var sql = $"INSERT INTO {table} {(query ?? SelectAll)(source)} FORMAT ArrowStream";
        using var response = await Post(sql, pipe.Reader.AsStream(), cancellationToken).ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        return Summary(response);
    }

    /// <inheritdoc />
    public async Task<StatementStats> InsertFileAsync(string table, string path, string format, string structure, Func<string, string>? query = null, CancellationToken cancellationToken = default)
    {
        await using var file = File.OpenRead(path);
        var sql = $"INSERT INTO {table} {(query ?? SelectAll)($"input({Sql.Literal(structure)})")} FORMAT {format}";
        using var response = await Post(sql, file, cancellationToken).ConfigureAwait(false);
        return Summary(response);
    }

    private static string SelectAll(string source) => $"SELECT * FROM {source}";

    private async Task<HttpResponseMessage> Post(string sql, Stream body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _client.PostStreamAsync(sql, body, false, cancellationToken, Options()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Failure(e, sql);
        }
        if (!response.IsSuccessStatusCode)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new StoreQueryException(message.Trim(), sql);
        }
        return response;
    }

    // The server refusing a statement is a query error; the server going away (refused, reset) is the store being unavailable.
    private Exception Failure(Exception e, string sql) => e is HttpRequestException or IOException
        ? new StoreUnavailableException($"{Description} did not answer: {e.Message}", e)
        : new StoreQueryException(e.Message, sql);

    private static StatementStats Summary(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-ClickHouse-Summary", out var values)) return default;
        using var json = JsonDocument.Parse(values.First());
        ulong Read(string name) => json.RootElement.TryGetProperty(name, out var p) && ulong.TryParse(p.GetString(), out var v) ? v : 0;
        return new StatementStats(Read("read_rows"), Read("read_bytes"), Read("written_rows"), TimeSpan.FromTicks((long)Read("elapsed_ns") / 100));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
