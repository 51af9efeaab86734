using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>
/// The engine's column types as CommandGetXdbcTypeInfo describes them: ClickHouse's type names with their XDBC
/// (ODBC/JDBC) data type codes from the specification's XdbcDataType enum, sizes, literal quoting, signedness and
/// radix. Every type here may be nullable (as <c>Nullable(T)</c>); strings compare case-sensitively.
/// </summary>
internal static class XdbcTypes
{
    // XdbcDataType codes and XdbcDatetimeSubcode values from the specification.
    private const int Decimal = 3, Integer = 4, SmallInt = 5, Real = 7, Double = 8, Datetime = 9, VarChar = 12, Date = 91, Timestamp = 93;
    private const int Binary = -2, BigInt = -5, TinyInt = -6, Bit = -7, SubcodeDate = 1, SubcodeTimestamp = 3;
    private const int Nullable = 1, SearchableFull = 3;

    private sealed record XdbcType(string Name, int DataType, int? ColumnSize, string? Quote, string[]? CreateParams, bool CaseSensitive, bool? Unsigned,
        bool FixedScale, int? MinScale, int? MaxScale, int SqlDataType, int? Subcode, int? Radix);

    private static readonly XdbcType[] All =
    [
        new("Bool", Bit, 1, null, null, false, null, false, null, null, Bit, null, null),
        new("Int8", TinyInt, 3, null, null, false, false, false, 0, 0, TinyInt, null, 10),
        new("UInt8", TinyInt, 3, null, null, false, true, false, 0, 0, TinyInt, null, 10),
        new("Int16", SmallInt, 5, null, null, false, false, false, 0, 0, SmallInt, null, 10),
        new("UInt16", SmallInt, 5, null, null, false, true, false, 0, 0, SmallInt, null, 10),
        new("Int32", Integer, 10, null, null, false, false, false, 0, 0, Integer, null, 10),
        new("UInt32", Integer, 10, null, null, false, true, false, 0, 0, Integer, null, 10),
        new("Int64", BigInt, 19, null, null, false, false, false, 0, 0, BigInt, null, 10),
        new("UInt64", BigInt, 20, null, null, false, true, false, 0, 0, BigInt, null, 10),
        new("Float32", Real, 24, null, null, false, false, false, null, null, Real, null, 2),
        new("Float64", Double, 53, null, null, false, false, false, null, null, Double, null, 2),
        new("Decimal", Decimal, 76, null, ["precision", "scale"], false, false, true, 0, 76, Decimal, null, 10),
        new("String", VarChar, null, "'", null, true, null, false, null, null, VarChar, null, null),
        new("FixedString", Binary, null, "'", ["length"], true, null, false, null, null, Binary, null, null),
        new("Date32", Date, 10, "'", null, false, null, false, null, null, Datetime, SubcodeDate, null),
        new("DateTime64", Timestamp, 29, "'", ["precision", "timezone"], false, null, false, 0, 9, Datetime, SubcodeTimestamp, null),
    ];

    /// <summary>The types (one data type's when <paramref name="dataType"/> is given), ordered by data type, then name.</summary>
    public static RecordBatch Batch(int? dataType)
    {
        var rows = All.Where(t => dataType is null || t.DataType == dataType).OrderBy(t => t.DataType).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var schema = FlightSqlSchemas.XdbcTypeInfo;
        var createParams = new ListArray.Builder(((ListType)schema.GetFieldByName("create_params").DataType).ValueField);
        var values = (StringArray.Builder)createParams.ValueBuilder;
        foreach (var t in rows)
        {
            if (t.CreateParams is null)
            {
                createParams.AppendNull();
                continue;
            }
            createParams.Append();
            foreach (var p in t.CreateParams) values.Append(p);
        }
        IArrowArray[] columns =
        [
            Strings(rows.Select(t => t.Name)),
            Ints(rows.Select(t => (int?)t.DataType)),
            Ints(rows.Select(t => t.ColumnSize)),
            Strings(rows.Select(t => t.Quote)),
            Strings(rows.Select(t => t.Quote)),
            createParams.Build(),
            Ints(rows.Select(_ => (int?)Nullable)),
            Bools(rows.Select(t => (bool?)t.CaseSensitive)),
            Ints(rows.Select(_ => (int?)SearchableFull)),
            Bools(rows.Select(t => t.Unsigned)),
            Bools(rows.Select(t => (bool?)t.FixedScale)),
            Bools(rows.Select(t => t.Radix is null ? null : (bool?)false)),
            Strings(rows.Select(t => t.Name)),
            Ints(rows.Select(t => t.MinScale)),
            Ints(rows.Select(t => t.MaxScale)),
            Ints(rows.Select(t => (int?)t.SqlDataType)),
            Ints(rows.Select(t => t.Subcode)),
            Ints(rows.Select(t => t.Radix)),
            Ints(rows.Select(_ => (int?)null)),
        ];
        return new RecordBatch(schema, columns, rows.Count);
    }

    private static StringArray Strings(IEnumerable<string?> values)
    {
        var b = new StringArray.Builder();
        foreach (var v in values) if (v is null) b.AppendNull(); else b.Append(v);
        return b.Build();
    }

    private static Int32Array Ints(IEnumerable<int?> values)
    {
        var b = new Int32Array.Builder();
        foreach (var v in values) if (v is { } x) b.Append(x); else b.AppendNull();
        return b.Build();
    }

    private static BooleanArray Bools(IEnumerable<bool?> values)
    {
        var b = new BooleanArray.Builder();
        foreach (var v in values) if (v is { } x) b.Append(x); else b.AppendNull();
        return b.Build();
    }
}
