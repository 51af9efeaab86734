using Apache.Arrow;
using Apache.Arrow.Types;

namespace CroweLogic.Flow.Storage;

/// <summary>Maps the contracts' Arrow fields to ClickHouse column types (for staging tables and input() structures).</summary>
public static class ClickHouseTypes
{
    /// <summary>The ClickHouse type of an Arrow field.</summary>
    public static string Of(Field field)
    {
        var type = Of(field.DataType);
        return field.IsNullable && field.DataType is not ListType ? $"Nullable({type})" : type;
    }

    /// <summary>The ClickHouse type of an Arrow type.</summary>
    public static string Of(IArrowType type) => type switch
    {
        StringType or BinaryType => "String",
        TimestampType t => t.Unit switch
        {
            TimeUnit.Second => "DateTime64(0, 'UTC')",
            TimeUnit.Millisecond => "DateTime64(3, 'UTC')",
            TimeUnit.Microsecond => "DateTime64(6, 'UTC')",
            _ => "DateTime64(9, 'UTC')",
        },
        Int64Type => "Int64",
        Int32Type => "Int32",
        Int16Type => "Int16",
        Int8Type => "Int8",
        UInt64Type => "UInt64",
        UInt32Type => "UInt32",
        UInt16Type => "UInt16",
        UInt8Type => "UInt8",
        DoubleType => "Float64",
        FloatType => "Float32",
        BooleanType => "Bool",
        Date32Type => "Date32",
        ListType l => $"Array({Of(l.ValueField)})",
        _ => throw new NotSupportedException($"no ClickHouse mapping for Arrow type {type.Name}"),
    };

    /// <summary>A column list "name Type, …" for a schema.</summary>
    public static string Structure(Schema schema) => string.Join(", ", schema.FieldsList.Select(f => $"{Sql.Identifier(f.Name)} {Of(f)}"));
}
