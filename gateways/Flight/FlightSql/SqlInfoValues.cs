using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>What the service says of itself through CommandGetSqlInfo (ids from the specification's SqlInfo enum).</summary>
internal static class SqlInfoValues
{
    private const uint ServerName = 0, ServerVersion = 1, ArrowVersion = 2, ReadOnly = 3, Sql = 4, Substrait = 5, Transaction = 8, Cancel = 9;
    private const uint StatementTimeout = 100, TransactionTimeout = 101, DdlCatalog = 500, DdlSchema = 501, DdlTable = 502, IdentifierQuoteChar = 504;
    private const uint SchemaTerm = 529, CatalogTerm = 531;

    /// <summary>The values, for a principal (read-only for a read principal).</summary>
    public static IReadOnlyList<(uint Id, object Value)> For(FlightPrincipal principal, string engineVersion) =>
    [
        (ServerName, "CroweLogic.Flow"),
        (ServerVersion, $"{typeof(SqlInfoValues).Assembly.GetName().Version} (ClickHouse {engineVersion})"),
        (ArrowVersion, typeof(Schema).Assembly.GetName().Version?.ToString(3) ?? ""),
        (ReadOnly, principal.Role == FlightRole.Read),
        (Sql, true),
        (Substrait, false),
        (Transaction, 0), // SQL_SUPPORTED_TRANSACTION_NONE
        (Cancel, false),
        (StatementTimeout, 0),
        (TransactionTimeout, 0),
        (DdlCatalog, false),
        (DdlSchema, false),
        (DdlTable, false),
        (IdentifierQuoteChar, "`"),
        (SchemaTerm, "database"),
        (CatalogTerm, ""),
    ];

    /// <summary>The rows asked for (all when <paramref name="ids"/> is empty), as a batch of the SqlInfo schema.</summary>
    public static RecordBatch Batch(IReadOnlyList<(uint Id, object Value)> all, IReadOnlyCollection<uint> ids)
    {
        var rows = ids.Count == 0 ? all : all.Where(v => ids.Contains(v.Id)).ToList();
        var names = new UInt32Array.Builder();
        var strings = new StringArray.Builder();
        var bools = new BooleanArray.Builder();
        var bigints = new Int64Array.Builder();
        var bitmasks = new Int32Array.Builder();
        var typeIds = new ArrowBuffer.Builder<byte>();
        var offsets = new ArrowBuffer.Builder<int>();
        foreach (var (id, value) in rows)
        {
            names.Append(id);
            switch (value)
            {
                case string s:
                    typeIds.Append(0);
                    offsets.Append(strings.Length);
                    strings.Append(s);
                    break;
                case bool b:
                    typeIds.Append(1);
                    offsets.Append(bools.Length);
                    bools.Append(b);
                    break;
                case long l:
                    typeIds.Append(2);
                    offsets.Append(bigints.Length);
                    bigints.Append(l);
                    break;
                case int i:
                    typeIds.Append(3);
                    offsets.Append(bitmasks.Length);
                    bitmasks.Append(i);
                    break;
                default:
                    throw new InvalidOperationException($"SqlInfo {id} has a value of type {value.GetType().Name}, which the union does not carry");
            }
        }
        var union = FlightSqlSchemas.SqlInfoValue;
        IArrowArray[] children =
        [
            strings.Build(), bools.Build(), bigints.Build(), bitmasks.Build(),
            new ListArray.Builder(((ListType)union.Fields[4].DataType).ValueField).Build(),
            new MapArray.Builder((MapType)union.Fields[5].DataType).Build(),
        ];
        var values = new DenseUnionArray(union, rows.Count, children, typeIds.Build(), offsets.Build());
        return new RecordBatch(FlightSqlSchemas.SqlInfo, [names.Build(), values], rows.Count);
    }
}
