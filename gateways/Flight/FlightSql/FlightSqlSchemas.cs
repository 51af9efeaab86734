using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>The result schemas the Flight SQL specification fixes for its metadata commands, field for field.</summary>
internal static class FlightSqlSchemas
{
    public static readonly Schema Catalogs = Of(("catalog_name", StringType.Default, false));

    public static readonly Schema DbSchemas = Of(("catalog_name", StringType.Default, true), ("db_schema_name", StringType.Default, false));

    public static readonly Schema Tables = Of(("catalog_name", StringType.Default, true), ("db_schema_name", StringType.Default, true),
        ("table_name", StringType.Default, false), ("table_type", StringType.Default, false));

    public static readonly Schema TablesWithSchema = Of(("catalog_name", StringType.Default, true), ("db_schema_name", StringType.Default, true),
        ("table_name", StringType.Default, false), ("table_type", StringType.Default, false), ("table_schema", BinaryType.Default, false));

    public static readonly Schema TableTypes = Of(("table_type", StringType.Default, false));

    public static readonly Schema PrimaryKeys = Of(("catalog_name", StringType.Default, true), ("db_schema_name", StringType.Default, true),
        ("table_name", StringType.Default, false), ("column_name", StringType.Default, false), ("key_name", StringType.Default, true),
        ("key_sequence", Int32Type.Default, false));

    public static readonly Schema XdbcTypeInfo = new Schema.Builder()
        .Field(new Field("type_name", StringType.Default, false))
        .Field(new Field("data_type", Int32Type.Default, false))
        .Field(new Field("column_size", Int32Type.Default, true))
        .Field(new Field("literal_prefix", StringType.Default, true))
        .Field(new Field("literal_suffix", StringType.Default, true))
        .Field(new Field("create_params", new ListType(new Field("item", StringType.Default, false)), true))
        .Field(new Field("nullable", Int32Type.Default, false))
        .Field(new Field("case_sensitive", BooleanType.Default, false))
        .Field(new Field("searchable", Int32Type.Default, false))
        .Field(new Field("unsigned_attribute", BooleanType.Default, true))
        .Field(new Field("fixed_prec_scale", BooleanType.Default, false))
        .Field(new Field("auto_increment", BooleanType.Default, true))
        .Field(new Field("local_type_name", StringType.Default, true))
        .Field(new Field("minimum_scale", Int32Type.Default, true))
        .Field(new Field("maximum_scale", Int32Type.Default, true))
        .Field(new Field("sql_data_type", Int32Type.Default, false))
        .Field(new Field("datetime_subcode", Int32Type.Default, true))
        .Field(new Field("num_prec_radix", Int32Type.Default, true))
        .Field(new Field("interval_precision", Int32Type.Default, true))
        .Build();

    /// <summary>The SqlInfo value union: string, bool, bigint, int32 bitmask, string list, int32 → int32 list map.</summary>
    public static readonly UnionType SqlInfoValue = new(
    [
        new Field("string_value", StringType.Default, true),
        new Field("bool_value", BooleanType.Default, true),
        new Field("bigint_value", Int64Type.Default, true),
        new Field("int32_bitmask", Int32Type.Default, true),
        new Field("string_list", new ListType(new Field("item", StringType.Default, true)), true),
        new Field("int32_to_int32_list_map", new MapType(new Field("key", Int32Type.Default, false), new Field("value", new ListType(new Field("item", Int32Type.Default, true)), true)), true),
    ], [0, 1, 2, 3, 4, 5], UnionMode.Dense);

    public static readonly Schema SqlInfo = new Schema.Builder()
        .Field(new Field("info_name", UInt32Type.Default, false))
        .Field(new Field("value", SqlInfoValue, false))
        .Build();

    /// <summary>A schema as one encapsulated IPC message (what table_schema, dataset_schema and parameter_schema carry).</summary>
    public static byte[] Serialize(Schema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new ArrowStreamWriter(buffer, schema, leaveOpen: true)) writer.WriteStart();
        // The stream opens with the schema message: the continuation marker, its metadata length, then the metadata.
        var bytes = buffer.ToArray();
        var length = BitConverter.ToInt32(bytes, 4);
        return bytes[..(8 + length)];
    }

    private static Schema Of(params (string Name, IArrowType Type, bool Nullable)[] fields)
    {
        var builder = new Schema.Builder();
        foreach (var (name, type, nullable) in fields) builder.Field(new Field(name, type, nullable));
        return builder.Build();
    }
}
