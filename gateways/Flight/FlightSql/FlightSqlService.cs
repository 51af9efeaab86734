using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Flight;
using CroweLogic.Flow.Gateways.Flight.FlightSql.Protocol;
using CroweLogic.Flow.Storage;
using Google.Protobuf;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>
/// Arrow Flight SQL over the store (the specification's messages in <c>FlightSql.proto</c>): statements and prepared
/// statements (create, bind parameters by DoPut, execute, close) run through the same read-only guard and budget as SQL
/// tickets; ClickHouse databases are the schemas (there are no catalogs); tables are TABLE, VIEW or SYSTEM TABLE, with
/// their Arrow schemas on request; primary keys come from each table's sorting key; SqlInfo describes the service and
/// XDBC type info the engine's column types;
/// CommandStatementUpdate runs a read-write principal's statement.
/// </summary>
internal sealed class FlightSqlService(IFlowStore store, DatasetCatalog catalog, PreparedStatements prepared)
{
    private static readonly string[] TableTypes = ["SYSTEM TABLE", "TABLE", "VIEW"];


    /// <summary>FlightInfo for a command: its schema and one endpoint whose ticket this service redeems.</summary>
    public async Task<FlightInfo> InfoAsync(IMessage command, FlightDescriptor descriptor, FlightPrincipal principal, CancellationToken cancellationToken)
    {
        var (schema, ticket) = command switch
        {
            CommandStatementQuery q => (await QuerySchemaAsync(q.Query, cancellationToken).ConfigureAwait(false),
                FlightSqlCommand.Pack(new TicketStatementQuery { StatementHandle = ByteString.CopyFromUtf8(q.Query) })),
            CommandPreparedStatementQuery p => (await QuerySchemaAsync(prepared.Get(p.PreparedStatementHandle.Span, principal.Name).Executable(), cancellationToken).ConfigureAwait(false),
                FlightSqlCommand.Pack(p)),
            _ => (MetadataSchema(command), FlightSqlCommand.Pack(command)),
        };
        return new FlightInfo(schema, descriptor, [new FlightEndpoint(new FlightTicket(ticket), [])], -1, -1);
    }

    /// <summary>The schema a command's result will have.</summary>
    public async Task<Schema> SchemaAsync(IMessage command, FlightPrincipal principal, CancellationToken cancellationToken) => command switch
    {
        CommandStatementQuery q => await QuerySchemaAsync(q.Query, cancellationToken).ConfigureAwait(false),
        CommandPreparedStatementQuery p => await QuerySchemaAsync(prepared.Get(p.PreparedStatementHandle.Span, principal.Name).Probe(), cancellationToken).ConfigureAwait(false),
        _ => MetadataSchema(command),
    };

    /// <summary>What a ticket yields.</summary>
    public async Task<FlightSqlResult> GetAsync(IMessage ticket, FlightPrincipal principal, CancellationToken cancellationToken) => ticket switch
    {
        TicketStatementQuery t => new FlightSqlResult(t.StatementHandle.ToStringUtf8(), null),
        CommandPreparedStatementQuery p => new FlightSqlResult(prepared.Get(p.PreparedStatementHandle.Span, principal.Name).Executable(), null),
        CommandGetCatalogs => new FlightSqlResult(null, new RecordBatch(FlightSqlSchemas.Catalogs, [new StringArray.Builder().Build()], 0)),
        CommandGetDbSchemas s => new FlightSqlResult(null, await DbSchemasAsync(s, cancellationToken).ConfigureAwait(false)),
        CommandGetTables t => new FlightSqlResult(null, await TablesAsync(t, cancellationToken).ConfigureAwait(false)),
        CommandGetTableTypes => new FlightSqlResult(null, Strings(FlightSqlSchemas.TableTypes, TableTypes)),
        CommandGetPrimaryKeys k => new FlightSqlResult(null, await PrimaryKeysAsync(k, cancellationToken).ConfigureAwait(false)),
        CommandGetXdbcTypeInfo x => new FlightSqlResult(null, XdbcTypes.Batch(x.HasDataType ? x.DataType : null)),
        CommandGetSqlInfo i => new FlightSqlResult(null, SqlInfoValues.Batch(SqlInfoValues.For(principal, await EngineVersionAsync(cancellationToken).ConfigureAwait(false)), [.. i.Info])),
        _ => throw new FlightRequestException($"{ticket.Descriptor.Name} is not a ticket"),
    };

    /// <summary>The prepared-statement actions; null when <paramref name="type"/> is not a Flight SQL action.</summary>
    public async Task<ByteString?> ActionAsync(string type, ByteString body, FlightPrincipal principal, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case "CreatePreparedStatement":
                var create = FlightSqlCommand.TryUnpack(body.Span) as ActionCreatePreparedStatementRequest
                    ?? throw new FlightRequestException("CreatePreparedStatement takes an Any of ActionCreatePreparedStatementRequest");
                if (create.HasTransactionId) throw FlightErrors.Unimplemented("transactions are not supported (SqlInfo FLIGHT_SQL_SERVER_TRANSACTION is NONE)");
                var (handle, statement) = prepared.Prepare(create.Query, principal.Name);
                var dataset = await QuerySchemaAsync(statement.Probe(), cancellationToken).ConfigureAwait(false);
                var result = new ActionCreatePreparedStatementResult
                {
                    PreparedStatementHandle = ByteString.CopyFrom(handle),
                    DatasetSchema = ByteString.CopyFrom(FlightSqlSchemas.Serialize(dataset)),
                };
                if (statement.Parameters > 0)
                {
                    var parameters = new Schema.Builder();
                    for (var i = 0; i < statement.Parameters; i++) parameters.Field(new Field($"parameter_{i + 1}", Apache.Arrow.Types.NullType.Default, true));
                    result.ParameterSchema = ByteString.CopyFrom(FlightSqlSchemas.Serialize(parameters.Build()));
                }
                return FlightSqlCommand.Pack(result);
            case "ClosePreparedStatement":
                var close = FlightSqlCommand.TryUnpack(body.Span) as ActionClosePreparedStatementRequest
                    ?? throw new FlightRequestException("ClosePreparedStatement takes an Any of ActionClosePreparedStatementRequest");
                prepared.Close(close.PreparedStatementHandle.Span, principal.Name);
                return ByteString.Empty;
            default:
                return null;
        }
    }

    /// <summary>Binds parameters to a prepared statement (the first batch, one row).</summary>
    public void Bind(CommandPreparedStatementQuery command, RecordBatch batch, FlightPrincipal principal)
    {
        var statement = prepared.Get(command.PreparedStatementHandle.Span, principal.Name);
        statement.Bound = PreparedStatements.Literals(batch, statement.Parameters);
    }

    /// <summary>Runs a read-write principal's statement (CommandStatementUpdate); the rows written, or -1 when the engine does not say.</summary>
    public async Task<DoPutUpdateResult> UpdateAsync(CommandStatementUpdate command, FlightPrincipal principal, CancellationToken cancellationToken)
    {
        if (!principal.May(FlightRole.ReadWrite)) throw FlightErrors.PermissionDenied($"{principal.Name} has the read role; CommandStatementUpdate needs read_write");
        if (command.HasTransactionId) throw FlightErrors.Unimplemented("transactions are not supported (SqlInfo FLIGHT_SQL_SERVER_TRANSACTION is NONE)");
        var stats = await store.ExecuteAsync(SqlTicketGuard.SingleStatement(command.Query), cancellationToken).ConfigureAwait(false);
        return new DoPutUpdateResult { RecordCount = stats.RowsWritten > 0 ? (long)stats.RowsWritten : -1 };
    }

    private async Task<Schema> QuerySchemaAsync(string sql, CancellationToken cancellationToken) =>
        await catalog.SchemaAsync(await catalog.ResolveAsync(new SqlRequest(sql), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private static Schema MetadataSchema(IMessage command) => command switch
    {
        CommandGetCatalogs => FlightSqlSchemas.Catalogs,
        CommandGetDbSchemas => FlightSqlSchemas.DbSchemas,
        CommandGetTables t => t.IncludeSchema ? FlightSqlSchemas.TablesWithSchema : FlightSqlSchemas.Tables,
        CommandGetTableTypes => FlightSqlSchemas.TableTypes,
        CommandGetPrimaryKeys => FlightSqlSchemas.PrimaryKeys,
        CommandGetSqlInfo => FlightSqlSchemas.SqlInfo,
        CommandGetXdbcTypeInfo => FlightSqlSchemas.XdbcTypeInfo,
        _ => throw new FlightRequestException($"{command.Descriptor.Name} is not a GetFlightInfo command"),
    };

    // No catalogs: a named catalog matches nothing, an empty or absent one matches everything.
    private static bool NoCatalog(bool has, string catalog) => has && catalog.Length > 0;

    private async Task<RecordBatch> DbSchemasAsync(CommandGetDbSchemas command, CancellationToken cancellationToken)
    {
        if (NoCatalog(command.HasCatalog, command.Catalog)) return Rows(FlightSqlSchemas.DbSchemas, []);
        var where = command.HasDbSchemaFilterPattern ? $" WHERE name LIKE {Sql.Literal(command.DbSchemaFilterPattern)}" : "";
        var names = await ColumnAsync($"SELECT name FROM system.databases{where} ORDER BY name", cancellationToken).ConfigureAwait(false);
        return Rows(FlightSqlSchemas.DbSchemas, names.Select(n => new object?[] { null, n[0] }));
    }

    private async Task<RecordBatch> TablesAsync(CommandGetTables command, CancellationToken cancellationToken)
    {
        var schema = command.IncludeSchema ? FlightSqlSchemas.TablesWithSchema : FlightSqlSchemas.Tables;
        if (NoCatalog(command.HasCatalog, command.Catalog)) return Rows(schema, []);
        var where = new List<string> { "1" };
        if (command.HasDbSchemaFilterPattern) where.Add($"database LIKE {Sql.Literal(command.DbSchemaFilterPattern)}");
        if (command.HasTableNameFilterPattern) where.Add($"name LIKE {Sql.Literal(command.TableNameFilterPattern)}");
        var rows = await ColumnAsync(
            "SELECT database, name, multiIf(database IN ('system', 'INFORMATION_SCHEMA', 'information_schema'), 'SYSTEM TABLE', " +
            $"engine IN ('View', 'MaterializedView', 'LiveView', 'WindowView'), 'VIEW', 'TABLE') FROM system.tables WHERE {string.Join(" AND ", where)} ORDER BY database, name",
            cancellationToken).ConfigureAwait(false);
        var types = command.TableTypes.ToHashSet(StringComparer.Ordinal);
        var chosen = rows.Where(r => types.Count == 0 || types.Contains(r[2])).ToList();
        var result = new List<object?[]>();
        foreach (var r in chosen)
        {
            if (!command.IncludeSchema)
            {
                result.Add([null, r[0], r[1], r[2]]);
                continue;
            }
            result.Add([null, r[0], r[1], r[2], FlightSqlSchemas.Serialize(await TableSchemaAsync(r[0], r[1], cancellationToken).ConfigureAwait(false))]);
        }
        return Rows(schema, result);
    }

    private async Task<Schema> TableSchemaAsync(string database, string table, CancellationToken cancellationToken)
    {
        using var result = await store.QueryArrowAsync($"SELECT * FROM {Sql.Identifier(database)}.{Sql.Identifier(table)} LIMIT 0", cancellationToken).ConfigureAwait(false);
        return result.Schema ?? new Schema.Builder().Build();
    }

    private async Task<RecordBatch> PrimaryKeysAsync(CommandGetPrimaryKeys command, CancellationToken cancellationToken)
    {
        if (NoCatalog(command.HasCatalog, command.Catalog)) return Rows(FlightSqlSchemas.PrimaryKeys, []);
        var where = $"name = {Sql.Literal(command.Table)}" + (command.HasDbSchema ? $" AND database = {Sql.Literal(command.DbSchema)}" : "");
        var tables = await ColumnAsync($"SELECT database, name, primary_key FROM system.tables WHERE {where} ORDER BY database", cancellationToken).ConfigureAwait(false);
        var rows = new List<object?[]>();
        foreach (var t in tables)
        {
            var keys = t[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < keys.Length; i++) rows.Add([null, t[0], t[1], keys[i], null, i + 1]);
        }
        return Rows(FlightSqlSchemas.PrimaryKeys, rows);
    }

    private async Task<string> EngineVersionAsync(CancellationToken cancellationToken) =>
        (await ColumnAsync("SELECT version()", cancellationToken).ConfigureAwait(false))[0][0];

    private async Task<List<string[]>> ColumnAsync(string sql, CancellationToken cancellationToken)
    {
        var text = System.Text.Encoding.UTF8.GetString(await store.QueryFormattedAsync(sql, "TabSeparatedRaw", cancellationToken).ConfigureAwait(false));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t'))];
    }

    private static RecordBatch Strings(Schema schema, IEnumerable<string> values) => Rows(schema, values.Select(v => new object?[] { v }));

    // Rows into a batch of a metadata schema (utf8, int32 and binary columns).
    private static RecordBatch Rows(Schema schema, IEnumerable<object?[]> rows)
    {
        var list = rows.ToList();
        var columns = new IArrowArray[schema.FieldsList.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            switch (schema.FieldsList[c].DataType)
            {
                case Apache.Arrow.Types.StringType:
                    var s = new StringArray.Builder();
                    foreach (var row in list) if (row[c] is string v) s.Append(v); else s.AppendNull();
                    columns[c] = s.Build();
                    break;
                case Apache.Arrow.Types.Int32Type:
                    var n = new Int32Array.Builder();
                    foreach (var row in list) n.Append(Convert.ToInt32(row[c], CultureInfo.InvariantCulture));
                    columns[c] = n.Build();
                    break;
                default:
                    var b = new BinaryArray.Builder();
                    foreach (var row in list) b.Append(((byte[])row[c]!).AsSpan());
                    columns[c] = b.Build();
                    break;
            }
        }
        return new RecordBatch(schema, columns, list.Count);
    }
}
