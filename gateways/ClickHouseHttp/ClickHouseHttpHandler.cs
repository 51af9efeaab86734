using System.Globalization;
using System.Text;
using System.Text.Json;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Embedded;
using Microsoft.AspNetCore.Http;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>
/// One request of ClickHouse's HTTP interface against the embedded engine: <c>/ping</c>, <c>/replicas_status</c> and
/// <c>/</c> with the query in the <c>query</c> parameter or the body (a POST with both appends the body to the query as
/// an INSERT's data); <c>database</c>, <c>default_format</c>, <c>query_id</c>, settings and <c>param_*</c> as URL
/// parameters; the user in <c>X-ClickHouse-User</c>/<c>X-ClickHouse-Key</c>, <c>user</c>/<c>password</c> or Basic
/// authentication; gzip, deflate, br and zstd request bodies, and responses compressed so with
/// <c>enable_http_compression=1</c>. Answers carry ClickHouse's <c>X-ClickHouse-*</c> headers, and errors its body
/// (<c>Code: N. DB::Exception: … (NAME) (version …)</c>), <c>X-ClickHouse-Exception-Code</c> and HTTP status.
/// </summary>
internal sealed class ClickHouseHttpHandler(EmbeddedClickHouseStore store, ClickHouseHttpOptions options)
{
    // Parameters that belong to the HTTP interface, not to the engine's settings.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "query", "database", "default_format", "query_id", "user", "password", "quota_key", "compress", "decompress", "enable_http_compression",
        "http_zlib_compression_level", "session_id", "session_timeout", "session_check", "buffer_size", "wait_end_of_query",
        "send_progress_in_http_headers", "http_headers_progress_interval_ms", "http_wait_end_of_query", "http_response_buffer_size",
        "cancel_http_readonly_queries_on_client_close", "add_http_cors_header", "default_database", "role", "client_protocol_version",
    };

    // What a read principal may not change: the guard and its budget.
    private static readonly HashSet<string> Guarded = new(StringComparer.Ordinal)
    {
        "readonly", "max_result_rows", "max_result_bytes", "result_overflow_mode", "max_execution_time", "allow_ddl", "allow_introspection_functions",
    };

    private static readonly string Version = $"{LibChdbLocator.Version} (flow embedded)";

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        switch (path)
        {
            case "/ping" or "/replicas_status":
                await Plain(context, "Ok.\n").ConfigureAwait(false);
                return;
            case "/" or "":
                await QueryAsync(context).ConfigureAwait(false);
                return;
            default:
                context.Response.StatusCode = 404;
                await Plain(context, $"There is no handle {path}\n\nUse / or /ping for health checks.\nOr /replicas_status for more sophisticated health checks.\n\nSend queries from your program with POST method or GET /?query=...\n").ConfigureAwait(false);
                return;
        }
    }

    private async Task QueryAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var queryId = request.Query["query_id"].ToString() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        response.Headers["X-ClickHouse-Query-Id"] = queryId;
        response.Headers["X-ClickHouse-Server-Display-Name"] = options.DisplayName;
        response.Headers["X-ClickHouse-Timezone"] = "UTC";
        response.Headers["Access-Control-Expose-Headers"] = "X-ClickHouse-Query-Id,X-ClickHouse-Summary,X-ClickHouse-Server-Display-Name,X-ClickHouse-Format,X-ClickHouse-Timezone,X-ClickHouse-Exception-Code";
        string? spooled = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var user = "";
        ulong rowsRead = 0;
        long bytes = 0;
        try
        {
            var principal = Authenticate(request);
            user = principal.Name;
            var post = HttpMethods.IsPost(request.Method);
            if (!post && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
                throw new ClickHouseHttpException(ClickHouseErrors.UnsupportedMethod, $"HTTP method {request.Method} is not supported: use GET for queries or POST");
            var body = post ? HttpBodyCompression.Decoding(request.Body, request.Headers.ContentEncoding) : Stream.Null;
            string text;
            var bodyIsData = false;
            if (request.Query.TryGetValue("query", out var inUrl))
            {
                text = inUrl.ToString();
                bodyIsData = post;
            }
            else if (post) text = await ReadText(body, context.RequestAborted).ConfigureAwait(false);
            else
            {
                await Plain(context, "Ok.\n").ConfigureAwait(false);
                return;
            }
            var statement = ClickHouseStatement.Parse(text);
            if (statement.Multiple) throw new ClickHouseHttpException(ClickHouseErrors.SyntaxError, "Syntax error (Multi-statements are not allowed)");
            var settings = Settings(request.Query);
            var format = statement.Format ?? (request.Query["default_format"].ToString() is { Length: > 0 } f ? f : "TabSeparated");
            string sql;
            if (principal.Role == FlightRole.Read || !post) sql = ReadOnly(statement, principal, settings, post);
            else if (statement.IsInsert && statement.Format is not null)
            {
                spooled = await Spool(body, bodyIsData, statement, context.RequestAborted).ConfigureAwait(false);
                sql = InsertFromFile(statement, spooled);
            }
            else sql = statement.Text;
            var database = request.Query["database"].ToString() is { Length: > 0 } db ? db : request.Headers["X-ClickHouse-Database"].ToString() is { Length: > 0 } hdb ? hdb : null;
            if (Streamable(statement, format, database, settings))
            {
                bytes = await StreamArrow(context, sql, format).ConfigureAwait(false);
                return;
            }
            var result = await store.RunAsync(new EmbeddedRequest(sql, format) { Database = database, Settings = settings }, context.RequestAborted).ConfigureAwait(false);
            (rowsRead, bytes) = (result.Stats.RowsRead, result.Output.Length);
            response.Headers["X-ClickHouse-Format"] = format;
            response.Headers["X-ClickHouse-Summary"] = Summary(result.Stats, result.Output.Length);
            response.ContentType = ContentType(format);
            await Write(context, result.Output).ConfigureAwait(false);
        }
        catch (ClickHouseHttpException e)
        {
            await Fail(context, e.Error, $"Code: {e.Error.Code}. DB::Exception: {e.Message}. ({e.Error.Name})").ConfigureAwait(false);
        }
        catch (StoreQueryException e)
        {
            await Fail(context, ClickHouseErrors.FromMessage(e.Message), e.Message).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            await Fail(context, ClickHouseErrors.CannotDecompress, $"Code: {ClickHouseErrors.CannotDecompress.Code}. DB::Exception: Cannot decompress the request body: {e.Message}. (CANNOT_DECOMPRESS)").ConfigureAwait(false);
        }
        catch (ZstdSharp.ZstdException e)
        {
            await Fail(context, ClickHouseErrors.CannotDecompress, $"Code: {ClickHouseErrors.CannotDecompress.Code}. DB::Exception: Cannot decompress the zstd request body: {e.Message}. (CANNOT_DECOMPRESS)").ConfigureAwait(false);
        }
        finally
        {
            if (spooled is not null) File.Delete(spooled);
            ClickHouseHttpTelemetry.Request(response.StatusCode, user, started, rowsRead, bytes);
        }
    }

    // An Arrow read needing nothing of the session but what it already has streams block by block: bounded memory,
    // and a client that hangs up cancels the engine's query (the one thing a buffered answer cannot do).
    private static bool Streamable(ClickHouseStatement statement, string format, string? database, List<KeyValuePair<string, string>> settings) =>
        format == "ArrowStream" && statement.IsSelect && database is null
        && settings.All(s => s.Key == "max_insert_threads" || (EmbeddedClickHouseStore.SessionSettingValues.TryGetValue(s.Key, out var v) && v == s.Value));

    private async Task<long> StreamArrow(HttpContext context, string sql, string format)
    {
        await using var stream = await store.StreamArrowAsync(sql, context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.Headers["X-ClickHouse-Format"] = format;
        // Sent before the rows, as ClickHouse does without wait_end_of_query: the counts are not known yet.
        response.Headers["X-ClickHouse-Summary"] = Summary(default, 0);
        response.ContentType = ContentType(format);
        await using var body = CompressedBody(context);
        long bytes = 0;
        using (var writer = new Apache.Arrow.Ipc.ArrowStreamWriter(body ?? response.Body, stream.Schema, leaveOpen: true))
        {
            while (await stream.ReadNextAsync(context.RequestAborted).ConfigureAwait(false) is { } batch)
            {
                await writer.WriteRecordBatchAsync(batch, context.RequestAborted).ConfigureAwait(false);
                bytes += Flight.FlightTelemetry.SizeOf(batch);
            }
            await writer.WriteEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        return bytes;
    }

    private FlightPrincipal Authenticate(HttpRequest request)
    {
        string? user = request.Headers["X-ClickHouse-User"].ToString() is { Length: > 0 } u ? u : null;
        string? key = request.Headers["X-ClickHouse-Key"].ToString() is { Length: > 0 } k ? k : null;
        if (user is null && request.Query["user"].ToString() is { Length: > 0 } qu) (user, key) = (qu, request.Query["password"].ToString());
        if (user is null && request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
            }
            catch (FormatException)
            {
                throw new ClickHouseHttpException(ClickHouseErrors.AuthenticationFailed, "Invalid authentication: the Basic Authorization header is not base64");
            }
            var colon = decoded.IndexOf(':');
            (user, key) = colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
        }
        user ??= "default";
        if (string.IsNullOrEmpty(key))
            throw new ClickHouseHttpException(ClickHouseErrors.RequiredPassword, $"{user}: Authentication failed: password is required for this server (the access file's tokens are the passwords)");
        return options.Access.Authenticate(user, key)
            ?? throw new ClickHouseHttpException(ClickHouseErrors.AuthenticationFailed, $"{user}: Authentication failed: password is incorrect, or there is no user with such name");
    }

    private static List<KeyValuePair<string, string>> Settings(IQueryCollection query)
    {
        var settings = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in query)
        {
            if (Reserved.Contains(name)) continue;
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new ClickHouseHttpException(ClickHouseErrors.BadArguments, $"'{name}' is neither a setting nor a parameter of the HTTP interface");
            settings.Add(KeyValuePair.Create(name, value.ToString()));
        }
        return settings;
    }

    // A read principal, or any GET: one read statement under read-only mode; a read principal's SELECT within its budget.
    private string ReadOnly(ClickHouseStatement statement, FlightPrincipal principal, List<KeyValuePair<string, string>> settings, bool post)
    {
        var why = post ? $"user {principal.Name} has the read role" : "For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries";
        if (!statement.IsRead) throw new ClickHouseHttpException(ClickHouseErrors.Readonly, $"Cannot execute query in readonly mode. {why}");
        if (principal.Role == FlightRole.ReadWrite) return statement.Text;
        if (!statement.IsSelect) throw new ClickHouseHttpException(ClickHouseErrors.Readonly, $"Cannot execute {statement.Verb} in readonly mode: {why}, which runs SELECT queries (the catalogue is in system.tables and system.columns)");
        if (statement.HasSettings) throw new ClickHouseHttpException(ClickHouseErrors.Readonly, $"Cannot use a SETTINGS clause in readonly mode: {why}; the server sets read-only mode and the budget");
        if (settings.FirstOrDefault(s => Guarded.Contains(s.Key)) is { Key: not null } guarded)
            throw new ClickHouseHttpException(ClickHouseErrors.Readonly, $"Cannot modify '{guarded.Key}' setting in readonly mode");
        var budget = options.Budget;
        var clause = $" SETTINGS readonly = 1, max_result_rows = {budget.MaxRows.ToString(CultureInfo.InvariantCulture)}, " +
            $"max_result_bytes = {budget.MaxBytes.ToString(CultureInfo.InvariantCulture)}, result_overflow_mode = 'throw', " +
            $"max_execution_time = {budget.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}";
        return $"SELECT * FROM ({statement.WithoutFormat}\n){clause}";
    }

    // The data of an INSERT — what follows its FORMAT line in the text, then the body — into a file the engine reads.
    private static async Task<string> Spool(Stream body, bool bodyIsData, ClickHouseStatement statement, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"flow-http-insert-{Guid.NewGuid():N}");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        if (statement.DataStart < statement.Text.Length) await file.WriteAsync(Encoding.UTF8.GetBytes(statement.Text[statement.DataStart..]), cancellationToken).ConfigureAwait(false);
        if (bodyIsData) await body.CopyToAsync(file, 1 << 16, cancellationToken).ConfigureAwait(false);
        return path;
    }

    // INSERT … FORMAT f reads the file; INSERT … SELECT … FROM input('structure') FORMAT f reads it through file().
    private static string InsertFromFile(ClickHouseStatement statement, string path)
    {
        var head = statement.Text[..statement.FormatStart].TrimEnd();
        var format = Sql.Literal(statement.Format!);
        if (!statement.UsesInput) return $"{head} FROM INFILE {Sql.Literal(path)} FORMAT {Sql.Identifier(statement.Format!)}";
        var rewritten = new StringBuilder();
        var at = 0;
        var tokens = SqlTokens.Scan(head).ToList();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].Is(head, "input") || !tokens[i + 1].Is(head, '(')) continue;
            rewritten.Append(head, at, tokens[i].Start - at).Append($"file({Sql.Literal(path)}, {format}, ");
            at = tokens[i + 1].End;
        }
        return rewritten.Append(head, at, head.Length - at).ToString();
    }

    private static async Task<string> ReadText(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Summary(StatementStats stats, long resultBytes) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["read_rows"] = stats.RowsRead.ToString(CultureInfo.InvariantCulture),
        ["read_bytes"] = stats.BytesRead.ToString(CultureInfo.InvariantCulture),
        ["written_rows"] = stats.RowsWritten.ToString(CultureInfo.InvariantCulture),
        ["written_bytes"] = "0",
        ["total_rows_to_read"] = stats.RowsRead.ToString(CultureInfo.InvariantCulture),
        ["result_rows"] = "0",
        ["result_bytes"] = resultBytes.ToString(CultureInfo.InvariantCulture),
        ["elapsed_ns"] = ((long)(stats.Elapsed.Ticks * 100)).ToString(CultureInfo.InvariantCulture),
    });

    private static string ContentType(string format) => format switch
    {
        "TabSeparated" or "TSV" or "TabSeparatedWithNames" or "TSVWithNames" or "TabSeparatedWithNamesAndTypes" or "TSVWithNamesAndTypes" or "TabSeparatedRaw" or "TSVRaw"
            => "text/tab-separated-values; charset=UTF-8",
        "CSV" or "CSVWithNames" or "CSVWithNamesAndTypes" => "text/csv; charset=UTF-8; header=" + (format == "CSV" ? "absent" : "present"),
        _ when format.StartsWith("JSON", StringComparison.Ordinal) => format.Contains("EachRow", StringComparison.Ordinal) ? "application/x-ndjson; charset=UTF-8" : "application/json; charset=UTF-8",
        _ when format.StartsWith("Pretty", StringComparison.Ordinal) || format is "Vertical" or "Markdown" or "Values" => "text/plain; charset=UTF-8",
        "XML" => "application/xml; charset=UTF-8",
        _ => "application/octet-stream",
    };

    private static async Task Write(HttpContext context, byte[] output)
    {
        await using var compressed = CompressedBody(context);
        if (compressed is null) context.Response.ContentLength = output.Length;
        await (compressed ?? context.Response.Body).WriteAsync(output, context.RequestAborted).ConfigureAwait(false);
    }

    // With enable_http_compression=1, a stream compressing into the response in the first encoding the client accepts
    // (Content-Encoding set); null to write the body as it is.
    private static Stream? CompressedBody(HttpContext context)
    {
        var encoding = context.Request.Query["enable_http_compression"] == "1" ? HttpBodyCompression.Choose(context.Request.Headers.AcceptEncoding) : null;
        if (encoding is null) return null;
        context.Response.Headers.ContentEncoding = encoding;
        return HttpBodyCompression.Encoding(context.Response.Body, encoding);
    }

    private static async Task Fail(HttpContext context, ClickHouseError error, string message)
    {
        var response = context.Response;
        if (response.HasStarted) throw new InvalidOperationException($"the response had started when the query failed: {message}");
        response.StatusCode = ClickHouseErrors.HttpStatus(error.Name);
        response.Headers["X-ClickHouse-Exception-Code"] = error.Code.ToString(CultureInfo.InvariantCulture);
        if (error == ClickHouseErrors.RequiredPassword) response.Headers.WWWAuthenticate = "Basic realm=\"ClickHouse server HTTP API\"";
        response.Headers.Remove("X-ClickHouse-Format");
        await Plain(context, $"{message.TrimEnd()} (version {Version})\n").ConfigureAwait(false);
    }

    private static Task Plain(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=UTF-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
