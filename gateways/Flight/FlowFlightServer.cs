using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Server;
using Apache.Arrow.Types;
using CroweLogic.Flow.Gateways.Flight.FlightSql;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Ingest;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// The platform's Arrow Flight service over the store: datasets and read-only SQL out (DoGet streams the engine's Arrow
/// blocks as they are produced), validated market data in (DoPut goes through the same quarantine path as <c>flow ingest</c>).
/// </summary>
public sealed class FlowFlightServer(IFlowStore store, FlightAccessList access, FlightBudget budget, PreparedStatements prepared, ILogger<FlowFlightServer> logger) : FlightServer
{
    /// <summary>Lists datasets (JSON array).</summary>
    public const string ListDatasetsAction = "list-datasets";

    /// <summary>Exact statistics of one dataset (body: its name).</summary>
    public const string DatasetStatsAction = "dataset-stats";

    /// <summary>Merges a dataset's parts (body: its name); read-write.</summary>
    public const string FlushAction = "flush";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly DatasetCatalog _catalog = new(store, budget.Validated());
    private readonly IngestPipeline _pipeline = new(store);
    private FlightSqlService? _sql;

    private FlightSqlService SqlService => _sql ??= new FlightSqlService(store, _catalog, prepared);

    /// <inheritdoc />
    public override async Task Handshake(IAsyncStreamReader<FlightHandshakeRequest> requestStream, IAsyncStreamWriter<FlightHandshakeResponse> responseStream, ServerCallContext context)
    {
        using var call = new FlightCall("Handshake", null);
        var header = context.RequestHeaders.GetValue("authorization");
        FlightPrincipal? principal;
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                throw Reject(call, FlightErrors.Unauthenticated("handshake failed: the Basic authorization header is not base64"));
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            principal = colon < 0 ? null : access.Authenticate(decoded[..colon], decoded[(colon + 1)..]);
        }
        else if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) principal = access.Authenticate(header[7..].Trim());
        else if (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) && !requestStream.Current.Payload.IsEmpty)
            principal = access.Authenticate(requestStream.Current.Payload.ToStringUtf8());
        else throw Reject(call, FlightErrors.Unauthenticated("handshake failed: send the token as the handshake payload or as HTTP Basic name:token"));
        if (principal is null) throw Reject(call, FlightErrors.Unauthenticated("handshake failed: unknown name or token"));

        call.Tag("flow.principal", principal.Name);
        var session = access.IssueSession(principal);
        await context.WriteResponseHeadersAsync(new Metadata { { "authorization", "Bearer " + session } }).ConfigureAwait(false);
        await responseStream.WriteAsync(new FlightHandshakeResponse(ByteString.CopyFromUtf8(session), 0)).ConfigureAwait(false);
        logger.LogInformation("handshake: {Principal} ({Role}) got a session token", principal.Name, principal.Role);
    }

    /// <inheritdoc />
    public override Task ListFlights(FlightCriteria request, IAsyncStreamWriter<FlightInfo> responseStream, ServerCallContext context) =>
        Run("ListFlights", context, FlightRole.Read, async (call, _) =>
        {
            var prefix = request.Expression.ToStringUtf8();
            foreach (var dataset in await _catalog.ListAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (!dataset.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var request = new DatasetRequest(dataset.Name);
                var info = await InfoAsync(request, DatasetCatalog.Resolve(request, dataset), FlightDescriptor.CreatePathDescriptor(dataset.Name), context.CancellationToken).ConfigureAwait(false);
                await responseStream.WriteAsync(info).ConfigureAwait(false);
            }
        });

    /// <inheritdoc />
    public override Task<FlightInfo> GetFlightInfo(FlightDescriptor request, ServerCallContext context) =>
        Run("GetFlightInfo", context, FlightRole.Read, async (call, principal) =>
        {
            if (request.Type == FlightDescriptorType.Command && FlightSqlCommand.TryUnpack(request.Command.Span) is { } command)
            {
                call.UserSql = true;
                call.Tag("flow.request", command.Descriptor.Name);
                return await SqlService.InfoAsync(command, request, principal, context.CancellationToken).ConfigureAwait(false);
            }
            var read = Describe(call, FlightReadRequest.FromDescriptor(request));
            return await InfoAsync(read, await _catalog.ResolveAsync(read, context.CancellationToken).ConfigureAwait(false), request, context.CancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public override Task<Schema> GetSchema(FlightDescriptor request, ServerCallContext context) =>
        Run("GetSchema", context, FlightRole.Read, async (call, principal) =>
        {
            if (request.Type == FlightDescriptorType.Command && FlightSqlCommand.TryUnpack(request.Command.Span) is { } command)
            {
                call.UserSql = true;
                return await SqlService.SchemaAsync(command, principal, context.CancellationToken).ConfigureAwait(false);
            }
            var read = await _catalog.ResolveAsync(Describe(call, FlightReadRequest.FromDescriptor(request)), context.CancellationToken).ConfigureAwait(false);
            return await _catalog.SchemaAsync(read, context.CancellationToken).ConfigureAwait(false);
        });

    /// <inheritdoc />
    public override Task DoGet(FlightTicket ticket, FlightServerRecordBatchStreamWriter responseStream, ServerCallContext context) =>
        Run("DoGet", context, FlightRole.Read, async (call, principal) =>
        {
            FlightReadRequest request;
            if (FlightSqlCommand.TryUnpack(ticket.Ticket.Span) is { } command)
            {
                call.Tag("flow.request", command.Descriptor.Name);
                var result = await SqlService.GetAsync(command, principal, context.CancellationToken).ConfigureAwait(false);
                if (result.Batch is { } batch)
                {
                    await responseStream.WriteAsync(batch).ConfigureAwait(false);
                    call.Count(batch.Length, FlightTelemetry.SizeOf(batch));
                    return;
                }
                call.UserSql = true;
                request = new SqlRequest(result.Sql!);
            }
            else request = Describe(call, FlightReadRequest.Parse(ticket.Ticket.Span));
            var sql = (await _catalog.ResolveAsync(request, context.CancellationToken).ConfigureAwait(false)).Sql;
            var userSql = call.UserSql;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            if (userSql) deadline.CancelAfter(budget.Timeout);
            try
            {
                await using var stream = await store.StreamArrowAsync(sql, deadline.Token).ConfigureAwait(false);
                while (await stream.ReadNextAsync(deadline.Token).ConfigureAwait(false) is { } batch)
                {
                    var bytes = FlightTelemetry.SizeOf(batch);
                    if (userSql && call.Bytes + bytes > budget.MaxBytes)
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the SQL ticket's result exceeds the byte budget of {budget.MaxBytes} bytes; aggregate or narrow the query"));
                    // The batch points into the engine's block: it is serialised before the next read frees that block.
                    await responseStream.WriteAsync(batch).ConfigureAwait(false);
                    call.Count(batch.Length, bytes);
                }
                if (stream.BatchesRead == 0) await responseStream.SetupStream(stream.Schema).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (userSql && deadline.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"the SQL ticket ran past its {budget.Timeout.TotalSeconds:0.#} s budget"));
            }
        });

    /// <inheritdoc />
    public override Task DoPut(FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, ServerCallContext context) =>
        Run("DoPut", context, FlightRole.Read, async (call, principal) =>
        {
            var descriptor = await requestStream.FlightDescriptor.ConfigureAwait(false);
            if (descriptor.Type == FlightDescriptorType.Command && FlightSqlCommand.TryUnpack(descriptor.Command.Span) is { } command)
            {
                call.Tag("flow.request", command.Descriptor.Name);
                await FlightSqlPutAsync(command, requestStream, responseStream, principal, context.CancellationToken).ConfigureAwait(false);
                return;
            }
            // Ingest needs read_write; a Flight SQL put checks its own command's role.
            if (!principal.May(FlightRole.ReadWrite)) throw FlightErrors.PermissionDenied($"{principal.Name} has the read role; this call needs read_write");
            var table = TargetOf(descriptor);
            call.Tag("flow.dataset", table.Name);
            var schema = await requestStream.Schema.ConfigureAwait(false);
            CheckSchema(table, schema);
            var index = 0;
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                using var batch = requestStream.Current;
                IngestReport report;
                try
                {
                    report = await _pipeline.IngestAsync(table, new ArrowIngestSource($"flight:{principal.Name}", schema, [batch]), context.CancellationToken).ConfigureAwait(false);
                }
                catch (StoreQueryException e)
                {
                    throw new FlightRequestException($"batch {index} of the put was not ingested ({(index == 0 ? "no earlier batch" : $"batches 0–{index - 1} were, see their results")}): {e.Message}");
                }
                call.Count(batch);
                var result = new PutBatchResult(index++, report.BatchId, report.RowsIn, report.Accepted, report.Rejected, report.Duplicates, report.AlreadyLoaded, report.RejectsByReason);
                await responseStream.WriteAsync(new FlightPutResult(ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(result, Json)))).ConfigureAwait(false);
            }
            logger.LogInformation("put: {Principal} sent {Batches} batches, {Rows} rows into {Table}", principal.Name, index, call.Rows, table.Name);
        });

    /// <inheritdoc />
    public override async Task ListActions(IAsyncStreamWriter<FlightActionType> responseStream, ServerCallContext context)
    {
        await Run("ListActions", context, FlightRole.Read, async (_, _) =>
        {
            await responseStream.WriteAsync(new FlightActionType(ListDatasetsAction, "Every dataset with its columns, row count and filterable columns (JSON)")).ConfigureAwait(false);
            await responseStream.WriteAsync(new FlightActionType(DatasetStatsAction, "Exact rows, parts, bytes on disk, symbols and time range of the dataset named in the body (JSON)")).ConfigureAwait(false);
            await responseStream.WriteAsync(new FlightActionType(FlushAction, "Merge the parts of the dataset named in the body into one, applying key de-duplication (read-write)")).ConfigureAwait(false);
            await responseStream.WriteAsync(new FlightActionType("CreatePreparedStatement", "Flight SQL: prepare a statement (Any of ActionCreatePreparedStatementRequest)")).ConfigureAwait(false);
            await responseStream.WriteAsync(new FlightActionType("ClosePreparedStatement", "Flight SQL: close a prepared statement (Any of ActionClosePreparedStatementRequest)")).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task DoAction(FlightAction request, IAsyncStreamWriter<FlightResult> responseStream, ServerCallContext context) =>
        Run("DoAction", context, FlightRole.Read, async (call, principal) =>
        {
            call.Tag("flow.action", request.Type);
            if (await SqlService.ActionAsync(request.Type, request.Body, principal, context.CancellationToken).ConfigureAwait(false) is { } sqlAnswer)
            {
                await responseStream.WriteAsync(new FlightResult(sqlAnswer)).ConfigureAwait(false);
                return;
            }
            var body = request.Body.ToStringUtf8().Trim();
            object answer = request.Type switch
            {
                ListDatasetsAction => (await _catalog.ListAsync(context.CancellationToken).ConfigureAwait(false)).Select(d => new
                {
                    d.Name, d.Engine, d.Rows, d.Bytes, Columns = d.Columns.Select(c => new { c.Name, c.Type }), d.SymbolColumn, d.TimeColumn,
                }).ToList(),
                DatasetStatsAction => await _catalog.StatsAsync(NameIn(body, request.Type), context.CancellationToken).ConfigureAwait(false),
                FlushAction => principal.May(FlightRole.ReadWrite)
                    ? await FlushAsync(NameIn(body, request.Type), context.CancellationToken).ConfigureAwait(false)
                    : throw FlightErrors.PermissionDenied($"{principal.Name} has the read role; '{FlushAction}' needs read_write"),
                _ => throw new FlightRequestException($"unknown action '{request.Type}'; actions: {ListDatasetsAction}, {DatasetStatsAction}, {FlushAction}"),
            };
            await responseStream.WriteAsync(new FlightResult(ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(answer, Json)))).ConfigureAwait(false);
        });

    // A Flight SQL put: parameters for a prepared statement, or an update statement to run.
    private async Task FlightSqlPutAsync(Google.Protobuf.IMessage command, FlightServerRecordBatchStreamReader requestStream, IAsyncStreamWriter<FlightPutResult> responseStream, FlightPrincipal principal, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case FlightSql.Protocol.CommandPreparedStatementQuery prepared:
                if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false)) throw new FlightRequestException("the bind put carried no batch; send one row with a column per parameter");
                using (var batch = requestStream.Current) SqlService.Bind(prepared, batch, principal);
                if (await requestStream.MoveNext(cancellationToken).ConfigureAwait(false)) throw new FlightRequestException("bind one batch of one row per execution");
                await responseStream.WriteAsync(new FlightPutResult(ByteString.Empty)).ConfigureAwait(false);
                break;
            case FlightSql.Protocol.CommandStatementUpdate update:
                var result = await SqlService.UpdateAsync(update, principal, cancellationToken).ConfigureAwait(false);
                await responseStream.WriteAsync(new FlightPutResult(result.ToByteString())).ConfigureAwait(false);
                break;
            default:
                throw new FlightRequestException($"{command.Descriptor.Name} is not a DoPut command (CommandPreparedStatementQuery binds parameters, CommandStatementUpdate runs a statement)");
        }
    }

    private async Task<object> FlushAsync(string dataset, CancellationToken cancellationToken)
    {
        var before = await _catalog.StatsAsync(dataset, cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync($"OPTIMIZE TABLE {Sql.Identifier(dataset)} FINAL", cancellationToken).ConfigureAwait(false);
        var after = await _catalog.StatsAsync(dataset, cancellationToken).ConfigureAwait(false);
        return new { Dataset = dataset, PartsBefore = before.Parts, PartsAfter = after.Parts, after.Partitions, RowsBefore = before.Rows, RowsAfter = after.Rows };
    }

    private static string NameIn(string body, string action) =>
        body.Length > 0 ? body : throw new FlightRequestException($"action '{action}' needs a dataset name as its body");

    private async Task<FlightInfo> InfoAsync(FlightReadRequest request, ResolvedRead read, FlightDescriptor descriptor, CancellationToken cancellationToken)
    {
        var schema = await _catalog.SchemaAsync(read, cancellationToken).ConfigureAwait(false);
        var records = request is DatasetRequest { IsWholeTable: true } && read.Dataset is { } dataset ? dataset.Rows : -1;
        // No location: the ticket is redeemed on this service.
        var endpoint = new FlightEndpoint(new FlightTicket(request.ToJson()), []);
        return new FlightInfo(schema, descriptor, [endpoint], records, -1);
    }

    private static FlightReadRequest Describe(FlightCall call, FlightReadRequest request)
    {
        call.UserSql = request is SqlRequest;
        call.Tag("flow.request", request is DatasetRequest d ? d.Dataset : "sql");
        return request;
    }

    private static MarketDataTable TargetOf(FlightDescriptor descriptor)
    {
        var name = descriptor.Type == FlightDescriptorType.Path
            ? descriptor.Paths.SingleOrDefault()
            : FlightReadRequest.Parse(descriptor.Command.Span) is DatasetRequest { IsWholeTable: true } d ? d.Dataset : null;
        var table = MarketDataTable.All.FirstOrDefault(t => t.Name == name);
        return table ?? throw new FlightRequestException(
            $"DoPut ingests into one of {string.Join(", ", MarketDataTable.All.Select(t => t.Name))}; the descriptor named {(name is null ? "none" : $"'{name}'")} (use a path descriptor such as [\"trades\"])");
    }

    /// <summary>Checks a put's schema against the table's contract, naming every difference.</summary>
    internal static void CheckSchema(MarketDataTable table, Schema schema)
    {
        var problems = new List<string>();
        var contract = table.Schema;
        foreach (var field in contract.FieldsList)
        {
            var given = schema.FieldsList.FirstOrDefault(f => f.Name == field.Name);
            if (given is null) problems.Add($"missing column '{field.Name}' ({field.DataType.Name})");
            else if (!Compatible(field.DataType, given.DataType)) problems.Add($"column '{field.Name}' is {given.DataType.Name}, the contract has {field.DataType.Name}");
        }
        foreach (var field in schema.FieldsList)
        {
            if (contract.GetFieldIndex(field.Name) < 0) problems.Add($"column '{field.Name}' is not in the {table.Name} contract");
        }
        if (problems.Count > 0) throw new FlightRequestException($"the put's schema does not match the {table.Name} contract: {string.Join("; ", problems)}");
    }

    private static bool Compatible(IArrowType contract, IArrowType given)
    {
        if (given is DictionaryType dictionary) given = dictionary.ValueType;
        if (contract is DictionaryType contractDictionary) contract = contractDictionary.ValueType;
        // Any timestamp unit converts exactly into the store's nanoseconds; string and large string carry the same text.
        if (contract.TypeId == ArrowTypeId.Timestamp) return given.TypeId == ArrowTypeId.Timestamp;
        if (contract.TypeId == ArrowTypeId.String) return given.TypeId is ArrowTypeId.String or ArrowTypeId.LargeString;
        return contract.TypeId == given.TypeId;
    }

    private FlightPrincipal Authenticate(ServerCallContext context, FlightRole required)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            throw FlightErrors.Unauthenticated("no credentials: send 'authorization: Bearer <token>' or call Handshake first");
        var principal = access.Authenticate(header[7..].Trim()) ?? throw FlightErrors.Unauthenticated("the bearer token is unknown or its session expired; call Handshake again");
        if (!principal.May(required)) throw FlightErrors.PermissionDenied($"{principal.Name} has the read role; this call needs read_write");
        return principal;
    }

    private Task Run(string method, ServerCallContext context, FlightRole role, Func<FlightCall, FlightPrincipal, Task> body) =>
        Run<bool>(method, context, role, async (call, principal) =>
        {
            await body(call, principal).ConfigureAwait(false);
            return true;
        });

    private async Task<T> Run<T>(string method, ServerCallContext context, FlightRole role, Func<FlightCall, FlightPrincipal, Task<T>> body)
    {
        using var call = new FlightCall(method, null);
        try
        {
            var principal = Authenticate(context, role);
            call.Tag("flow.principal", principal.Name);
            return await body(call, principal).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Reject(call, e);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw Reject(call, new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call")));
        }
        catch (Exception e) when (FlightErrors.ToStatus(e, call.UserSql) is { } status)
        {
            throw Reject(call, status);
        }
        catch (Exception e)
        {
            logger.LogError(e, "flight {Method} failed", method);
            throw Reject(call, new RpcException(new Status(StatusCode.Internal, $"{method} failed: {e.Message}")));
        }
    }

    private static RpcException Reject(FlightCall call, RpcException e)
    {
        call.Fail(e.StatusCode, e.Status.Detail);
        return e;
    }

    /// <summary>The answer to one put batch (JSON in the put result's application metadata).</summary>
    private sealed record PutBatchResult(int Batch, Guid BatchId, long RowsIn, long Accepted, long Rejected, long Duplicates, bool AlreadyLoaded, IReadOnlyDictionary<string, long> RejectsByReason);
}
