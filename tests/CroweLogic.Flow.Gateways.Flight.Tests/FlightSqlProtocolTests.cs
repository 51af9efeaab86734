using Apache.Arrow;
using Apache.Arrow.Flight;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Google.Protobuf;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>
/// Arrow Flight SQL as a client written to the specification sees it. The client here encodes its messages by hand
/// from FlightSql.proto's field numbers (no shared generated code) and checks the result schemas the specification
/// fixes for each metadata command.
/// </summary>
public class FlightSqlProtocolTests(FlightFixture fixture)
{
    private readonly Metadata _reader = FlightFixture.Bearer(FlightFixture.ReaderToken);
    private readonly Metadata _writer = FlightFixture.Bearer(FlightFixture.WriterToken);

    // A google.protobuf.Any (type_url = 1, value = 2) of an arrow.flight.protocol.sql message written field by field.
    private static byte[] Any(string message, params (int Field, object Value)[] fields)
    {
        using var inner = new MemoryStream();
        var output = new CodedOutputStream(inner);
        foreach (var (field, value) in fields)
        {
            switch (value)
            {
                case string s:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteString(s);
                    break;
                case byte[] b:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(b));
                    break;
                case bool b:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteBool(b);
                    break;
                case uint u:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteUInt32(u);
                    break;
            }
        }
        output.Flush();
        using var any = new MemoryStream();
        var outer = new CodedOutputStream(any);
        outer.WriteTag(1, WireFormat.WireType.LengthDelimited);
        outer.WriteString("type.googleapis.com/arrow.flight.protocol.sql." + message);
        outer.WriteTag(2, WireFormat.WireType.LengthDelimited);
        outer.WriteBytes(ByteString.CopyFrom(inner.ToArray()));
        outer.Flush();
        return any.ToArray();
    }

    // The length-delimited fields of a message (an Any's value, or a result), by number.
    private static Dictionary<int, byte[]> Fields(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        var fields = new Dictionary<int, byte[]>();
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) fields[WireFormat.GetTagFieldNumber(tag)] = input.ReadBytes().ToByteArray();
            else input.SkipLastField();
        }
        return fields;
    }

    private async Task<(Schema Schema, List<RecordBatch> Batches)> Run(byte[] command, Metadata? headers = null)
    {
        var client = fixture.Client();
        var info = await client.GetInfo(FlightDescriptor.CreateCommandDescriptor(command), headers ?? _reader);
        return (info.Schema, await FlightFixture.ReadAll(client, info.Endpoints.Single().Ticket, headers ?? _reader));
    }

    // A dense union's value at a row: the child its type id names, at its offset.
    private static object? UnionValue(DenseUnionArray union, int row)
    {
        var child = union.Fields[union.TypeIds[row]];
        var at = union.ValueOffsets[row];
        return child switch
        {
            StringArray s => s.GetString(at),
            BooleanArray b => b.GetValue(at),
            Int64Array l => l.GetValue(at),
            Int32Array i => i.GetValue(at),
            _ => throw new InvalidOperationException($"unexpected union child {child.Data.DataType.Name}"),
        };
    }

    private static string Describe(Schema schema) => string.Join(", ", schema.FieldsList.Select(f => $"{f.Name}: {f.DataType.Name}{(f.IsNullable ? "" : " not null")}"));

    private static List<string?> Strings(RecordBatch batch, string column) =>
        [.. Enumerable.Range(0, batch.Length).Select(i => ((StringArray)batch.Column(column)).GetString(i))];

    [Fact]
    public async Task A_statement_query_gets_a_flight_info_whose_ticket_streams_its_rows()
    {
        var (schema, batches) = await Run(Any("CommandStatementQuery", (1, "SELECT symbol, count() AS n FROM trades GROUP BY symbol ORDER BY symbol")));
        Assert.Equal(["symbol", "n"], schema.FieldsList.Select(f => f.Name));
        var batch = batches.Single();
        Assert.Equal(["AAPL", "BRK.B"], Strings(batch, "symbol"));
        Assert.Equal([2UL, 1UL], Enumerable.Range(0, batch.Length).Select(i => ((UInt64Array)batch.Column("n")).GetValue(i)!.Value));
    }

    [Fact]
    public async Task Metadata_commands_answer_in_the_schemas_the_specification_fixes()
    {
        var (catalogs, none) = await Run(Any("CommandGetCatalogs"));
        Assert.Equal("catalog_name: utf8 not null", Describe(catalogs));
        Assert.Equal(0, none.Sum(b => b.Length));

        var (schemas, databases) = await Run(Any("CommandGetDbSchemas", (2, "def%")));
        Assert.Equal("catalog_name: utf8, db_schema_name: utf8 not null", Describe(schemas));
        Assert.Equal(["default"], Strings(databases.Single(), "db_schema_name"));
        Assert.Equal([null], Strings(databases.Single(), "catalog_name"));

        var (tables, found) = await Run(Any("CommandGetTables", (2, "default"), (3, "trade%"), (5, true)));
        Assert.Equal("catalog_name: utf8, db_schema_name: utf8, table_name: utf8 not null, table_type: utf8 not null, table_schema: binary not null", Describe(tables));
        var row = found.Single();
        Assert.Equal(["trades"], Strings(row, "table_name"));
        Assert.Equal(["TABLE"], Strings(row, "table_type"));
        // table_schema is one IPC schema message: an Arrow reader reads the table's columns out of it.
        var bytes = ((BinaryArray)row.Column("table_schema")).GetBytes(0).ToArray();
        var tableSchema = new ArrowStreamReader(new MemoryStream(bytes)).Schema;
        Assert.Contains("price", tableSchema.FieldsList.Select(f => f.Name));
        Assert.Equal(ArrowTypeId.Timestamp, tableSchema.GetFieldByName("ts").DataType.TypeId);

        var (_, system) = await Run(Any("CommandGetTables", (2, "system"), (3, "numbers"), (4, "SYSTEM TABLE")));
        Assert.Equal(["SYSTEM TABLE"], Strings(system.Single(), "table_type"));

        var (types, typeRows) = await Run(Any("CommandGetTableTypes"));
        Assert.Equal("table_type: utf8 not null", Describe(types));
        Assert.Equal(["SYSTEM TABLE", "TABLE", "VIEW"], Strings(typeRows.Single(), "table_type"));

        var (keys, keyRows) = await Run(Any("CommandGetPrimaryKeys", (2, "default"), (3, "trades")));
        Assert.Equal("catalog_name: utf8, db_schema_name: utf8, table_name: utf8 not null, column_name: utf8 not null, key_name: utf8, key_sequence: int32 not null", Describe(keys));
        var k = keyRows.Single();
        Assert.Equal(["symbol", "ts", "seq"], Strings(k, "column_name"));
        Assert.Equal([1, 2, 3], Enumerable.Range(0, k.Length).Select(i => ((Int32Array)k.Column("key_sequence")).GetValue(i)!.Value));
    }

    [Fact]
    public async Task SqlInfo_answers_the_ids_asked_for_in_its_dense_union()
    {
        var (schema, batches) = await Run(Any("CommandGetSqlInfo", (1, 0u), (1, 3u), (1, 504u)));
        Assert.Equal(ArrowTypeId.UInt32, schema.GetFieldByName("info_name").DataType.TypeId);
        var union = Assert.IsType<UnionType>(schema.GetFieldByName("value").DataType);
        Assert.Equal(UnionMode.Dense, union.Mode);
        Assert.Equal(["string_value", "bool_value", "bigint_value", "int32_bitmask", "string_list", "int32_to_int32_list_map"], union.Fields.Select(f => f.Name));
        var batch = batches.Single();
        var values = (DenseUnionArray)batch.Column("value");
        var ids = (UInt32Array)batch.Column("info_name");
        var answers = Enumerable.Range(0, batch.Length).ToDictionary(i => ids.GetValue(i)!.Value, i => UnionValue(values, i));
        Assert.Equal("CroweLogic.Flow", answers[0]);
        Assert.Equal(true, answers[3]); // FLIGHT_SQL_SERVER_READ_ONLY for a read principal
        Assert.Equal("`", answers[504]); // SQL_IDENTIFIER_QUOTE_CHAR
    }

    [Fact]
    public async Task Xdbc_type_info_lists_the_engines_types_ordered_by_data_type_then_name()
    {
        var (schema, batches) = await Run(Any("CommandGetXdbcTypeInfo"));
        Assert.Equal("type_name: utf8 not null, data_type: int32 not null, column_size: int32, literal_prefix: utf8, literal_suffix: utf8, " +
            "create_params: list, nullable: int32 not null, case_sensitive: bool not null, searchable: int32 not null, unsigned_attribute: bool, " +
            "fixed_prec_scale: bool not null, auto_increment: bool, local_type_name: utf8, minimum_scale: int32, maximum_scale: int32, " +
            "sql_data_type: int32 not null, datetime_subcode: int32, num_prec_radix: int32, interval_precision: int32", Describe(schema));
        var all = batches.Single();
        var codes = Enumerable.Range(0, all.Length).Select(i => ((Int32Array)all.Column("data_type")).GetValue(i)!.Value).ToList();
        Assert.Equal(codes.Order(), codes);
        Assert.Contains("DateTime64", Strings(all, "type_name"));
        // XDBC_VARCHAR (12) alone: ClickHouse's String, quoted with '.
        var (_, varchar) = await Run(Any("CommandGetXdbcTypeInfo", (1, 12u)));
        Assert.Equal(["String"], Strings(varchar.Single(), "type_name"));
        Assert.Equal(["'"], Strings(varchar.Single(), "literal_prefix"));
    }

    [Fact]
    public async Task A_prepared_statement_is_created_bound_executed_and_closed()
    {
        var client = fixture.Client();
        using var create = client.DoAction(new FlightAction("CreatePreparedStatement", Any("ActionCreatePreparedStatementRequest", (1, "SELECT count() AS n FROM trades WHERE symbol = ?"))), _reader);
        Assert.True(await create.ResponseStream.MoveNext(default));
        var any = Fields(create.ResponseStream.Current.Body.Span);
        Assert.Equal("type.googleapis.com/arrow.flight.protocol.sql.ActionCreatePreparedStatementResult", System.Text.Encoding.UTF8.GetString(any[1]));
        var result = Fields(any[2]);
        var handle = result[1];
        Assert.Equal(["n"], new ArrowStreamReader(new MemoryStream(result[2])).Schema.FieldsList.Select(f => f.Name));
        Assert.Single(new ArrowStreamReader(new MemoryStream(result[3])).Schema.FieldsList);

        var prepared = Any("CommandPreparedStatementQuery", (1, handle));
        var unbound = await Assert.ThrowsAsync<RpcException>(() => client.GetInfo(FlightDescriptor.CreateCommandDescriptor(prepared), _reader).ResponseAsync);
        Assert.Contains("bind them with DoPut", unbound.Status.Detail);

        var parameters = new RecordBatch(new Schema.Builder().Field(new Field("parameter_1", StringType.Default, true)).Build(), [new StringArray.Builder().Append("AAPL").Build()], 1);
        using (var put = await client.StartPut(FlightDescriptor.CreateCommandDescriptor(prepared), parameters.Schema, _reader))
        {
            await put.RequestStream.WriteAsync(parameters);
            await put.RequestStream.CompleteAsync();
            while (await put.ResponseStream.MoveNext(default)) { }
        }
        var (_, batches) = await Run(prepared);
        Assert.Equal(2UL, ((UInt64Array)batches.Single().Column("n")).GetValue(0));

        using (var close = client.DoAction(new FlightAction("ClosePreparedStatement", Any("ActionClosePreparedStatementRequest", (1, handle))), _reader))
            while (await close.ResponseStream.MoveNext(default)) { }
        var closed = await Assert.ThrowsAsync<RpcException>(() => client.GetInfo(FlightDescriptor.CreateCommandDescriptor(prepared), _reader).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, closed.StatusCode);
    }

    [Fact]
    public async Task Statements_keep_the_read_only_guard_and_updates_need_read_write()
    {
        var client = fixture.Client();
        var twice = await Assert.ThrowsAsync<RpcException>(() => client.GetInfo(FlightDescriptor.CreateCommandDescriptor(Any("CommandStatementQuery", (1, "SELECT 1; DROP TABLE trades"))), _reader).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, twice.StatusCode);
        var write = await Assert.ThrowsAsync<RpcException>(() => Run(Any("CommandStatementQuery", (1, "SELECT * FROM file('/etc/passwd', 'LineAsString')"))));
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);

        async Task<long> Update(string sql, Metadata headers)
        {
            using var put = await client.StartPut(FlightDescriptor.CreateCommandDescriptor(Any("CommandStatementUpdate", (1, sql))), new Schema.Builder().Build(), headers);
            await put.RequestStream.CompleteAsync();
            Assert.True(await put.ResponseStream.MoveNext(default));
            var result = new CodedInputStream(put.ResponseStream.Current.ApplicationMetadata.ToByteArray());
            return result.ReadTag() == 0 ? 0 : result.ReadInt64();
        }
        var denied = await Assert.ThrowsAsync<RpcException>(() => Update("CREATE TABLE fsql_t (a UInt8) ENGINE = Memory", _reader));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        await Update("CREATE TABLE IF NOT EXISTS fsql_t (a UInt8) ENGINE = Memory", _writer);
        Assert.Equal(3, await Update("INSERT INTO fsql_t SELECT number FROM numbers(3)", _writer));

        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.GetInfo(FlightDescriptor.CreateCommandDescriptor(Any("CommandGetExportedKeys", (3, "trades"))), _reader).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, unknown.StatusCode);
    }
}
