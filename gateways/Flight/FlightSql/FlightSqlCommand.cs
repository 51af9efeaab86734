using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using CroweLogic.Flow.Gateways.Flight.FlightSql.Protocol;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>
/// A Flight SQL command, ticket or action body: a <c>google.protobuf.Any</c> whose type URL names a message of the
/// <c>arrow.flight.protocol.sql</c> package. Everything else the service reads (paths, JSON, SQL text) is not one.
/// </summary>
internal static class FlightSqlCommand
{
    private const string Prefix = "type.googleapis.com/arrow.flight.protocol.sql.";

    private static readonly Dictionary<string, MessageParser> Parsers = new(StringComparer.Ordinal)
    {
        [CommandStatementQuery.Descriptor.Name] = CommandStatementQuery.Parser,
        [TicketStatementQuery.Descriptor.Name] = TicketStatementQuery.Parser,
        [CommandPreparedStatementQuery.Descriptor.Name] = CommandPreparedStatementQuery.Parser,
        [CommandStatementUpdate.Descriptor.Name] = CommandStatementUpdate.Parser,
        [CommandGetCatalogs.Descriptor.Name] = CommandGetCatalogs.Parser,
        [CommandGetDbSchemas.Descriptor.Name] = CommandGetDbSchemas.Parser,
        [CommandGetTables.Descriptor.Name] = CommandGetTables.Parser,
        [CommandGetTableTypes.Descriptor.Name] = CommandGetTableTypes.Parser,
        [CommandGetPrimaryKeys.Descriptor.Name] = CommandGetPrimaryKeys.Parser,
        [CommandGetSqlInfo.Descriptor.Name] = CommandGetSqlInfo.Parser,
        [CommandGetXdbcTypeInfo.Descriptor.Name] = CommandGetXdbcTypeInfo.Parser,
        [ActionCreatePreparedStatementRequest.Descriptor.Name] = ActionCreatePreparedStatementRequest.Parser,
        [ActionClosePreparedStatementRequest.Descriptor.Name] = ActionClosePreparedStatementRequest.Parser,
    };

    /// <summary>The Flight SQL message in <paramref name="bytes"/>, or null when they are not an Any of one.</summary>
    /// <exception cref="FlightRequestException">A Flight SQL message this service does not implement.</exception>
    public static IMessage? TryUnpack(ReadOnlySpan<byte> bytes)
    {
        // Text (SQL, JSON) never starts like an Any: its first byte is not the type URL's tag (field 1, length-delimited).
        if (bytes.Length == 0 || bytes[0] != 0x0A) return null;
        Any any;
        try
        {
            any = Any.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        if (!any.TypeUrl.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var name = any.TypeUrl[Prefix.Length..];
        if (!Parsers.TryGetValue(name, out var parser))
            throw FlightErrors.Unimplemented($"Flight SQL {name} is not implemented by this service (statements, prepared statements, updates, catalogs, schemas, tables, table types, primary keys, SQL info and XDBC type info are)");
        try
        {
            return parser.ParseFrom(any.Value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FlightRequestException($"the Flight SQL {name} could not be decoded: {e.Message}");
        }
    }

    /// <summary>An Any of <paramref name="message"/>, as bytes.</summary>
    public static ByteString Pack(IMessage message) => Any.Pack(message).ToByteString();
}
