using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Apache.Arrow;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>The service's prepared statements, by opaque handle.</summary>
public sealed class PreparedStatements
{
    private readonly ConcurrentDictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);

    /// <summary>Prepares <paramref name="sql"/> for <paramref name="owner"/>; returns its handle.</summary>
    /// <exception cref="FlightRequestException">The text cannot be read (an unterminated literal or comment).</exception>
    public (byte[] Handle, PreparedStatement Statement) Prepare(string sql, string owner)
    {
        List<int> markers;
        try
        {
            markers = [.. SqlTokens.Scan(sql).Where(t => t.Is(sql, '?')).Select(t => t.Start)];
        }
        catch (SqlLexException e)
        {
            throw new FlightRequestException(e.Message);
        }
        var statement = new PreparedStatement(sql, markers, owner);
        var handle = RandomNumberGenerator.GetBytes(16);
        _statements[Convert.ToHexString(handle)] = statement;
        return (handle, statement);
    }

    /// <summary>The statement a handle names, for its owner.</summary>
    /// <exception cref="FlightNotFoundException">No such handle (closed, or never prepared), or another principal's.</exception>
    public PreparedStatement Get(ReadOnlySpan<byte> handle, string owner) =>
        _statements.TryGetValue(Convert.ToHexString(handle), out var statement) && statement.Owner == owner
            ? statement
            : throw new FlightNotFoundException("no prepared statement has this handle (closed, or never prepared by this principal)");

    /// <summary>Closes a statement.</summary>
    public void Close(ReadOnlySpan<byte> handle, string owner)
    {
        Get(handle, owner);
        _statements.TryRemove(Convert.ToHexString(handle), out _);
    }

    /// <summary>One row of a bind batch as ClickHouse literals.</summary>
    /// <exception cref="FlightRequestException">Not one row, the wrong number of columns, or a type that cannot be bound.</exception>
    internal static string[] Literals(RecordBatch batch, int parameters)
    {
        if (batch.Length != 1) throw new FlightRequestException($"bind one set of parameters (one row) per execution; the batch has {batch.Length} rows");
        if (batch.ColumnCount != parameters) throw new FlightRequestException($"the prepared statement has {parameters} parameter(s); the batch has {batch.ColumnCount} column(s)");
        return [.. Enumerable.Range(0, parameters).Select(i => Literal(batch.Column(i), i))];
    }

    private static string Literal(IArrowArray array, int index)
    {
        if (array.IsNull(0)) return "NULL";
        var n = CultureInfo.InvariantCulture;
        return array switch
        {
            StringArray s => Sql.Literal(s.GetString(0)),
            LargeStringArray s => Sql.Literal(s.GetString(0)),
            BooleanArray b => b.GetValue(0) == true ? "true" : "false",
            Int8Array a => a.GetValue(0)!.Value.ToString(n),
            Int16Array a => a.GetValue(0)!.Value.ToString(n),
            Int32Array a => a.GetValue(0)!.Value.ToString(n),
            Int64Array a => a.GetValue(0)!.Value.ToString(n),
            UInt8Array a => a.GetValue(0)!.Value.ToString(n),
            UInt16Array a => a.GetValue(0)!.Value.ToString(n),
            UInt32Array a => a.GetValue(0)!.Value.ToString(n),
            UInt64Array a => a.GetValue(0)!.Value.ToString(n),
            FloatArray a => a.GetValue(0)!.Value.ToString("R", n),
            DoubleArray a => a.GetValue(0)!.Value.ToString("R", n),
            TimestampArray t => Sql.Nanos((t.GetTimestampUnchecked(0).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100),
            Date32Array d => $"toDate({Sql.Literal(d.GetDateOnly(0)!.Value.ToString("yyyy-MM-dd", n))})",
            _ => throw new FlightRequestException($"parameter {index + 1} is {array.Data.DataType.Name}; bind strings, integers, floats, booleans, timestamps or dates"),
        };
    }
}
