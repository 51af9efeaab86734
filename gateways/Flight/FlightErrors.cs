using System.Text.RegularExpressions;
using CroweLogic.Flow.Storage;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>Turns the service's failures into Flight (gRPC) statuses with messages a client can act on.</summary>
internal static partial class FlightErrors
{
    /// <summary>The status for a failure, or null when it is not one the service knows (then the call fails as Internal).</summary>
    public static RpcException? ToStatus(Exception e, bool userSql) => e switch
    {
        RpcException => null,
        FlightRequestException => new RpcException(new Status(StatusCode.InvalidArgument, e.Message)),
        FlightNotFoundException => new RpcException(new Status(StatusCode.NotFound, e.Message)),
        StoreQueryException q => new RpcException(new Status(Classify(q.Message, userSql), q.Message)),
        _ => null,
    };

    /// <summary>Maps a ClickHouse error (by its code) to a status.</summary>
    public static StatusCode Classify(string message, bool userSql)
    {
        var match = CodePattern().Match(message);
        var code = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        return code switch
        {
            60 or 81 => StatusCode.NotFound, // UNKNOWN_TABLE, UNKNOWN_DATABASE
            158 or 396 or 241 or 307 => StatusCode.ResourceExhausted, // TOO_MANY_ROWS, TOO_MANY_ROWS_OR_BYTES, MEMORY_LIMIT_EXCEEDED, TOO_MANY_BYTES
            159 => StatusCode.DeadlineExceeded, // TIMEOUT_EXCEEDED
            164 or 497 => StatusCode.PermissionDenied, // READONLY, ACCESS_DENIED
            394 => StatusCode.Cancelled, // QUERY_WAS_CANCELLED
            _ => userSql ? StatusCode.InvalidArgument : StatusCode.Internal,
        };
    }

    public static RpcException Unauthenticated(string message) => new(new Status(StatusCode.Unauthenticated, message));

    public static RpcException PermissionDenied(string message) => new(new Status(StatusCode.PermissionDenied, message));

    /// <summary>A call the service does not implement, saying what it does.</summary>
    public static RpcException Unimplemented(string message) => new(new Status(StatusCode.Unimplemented, message));

    [GeneratedRegex(@"Code: (\d+)\.")]
    private static partial Regex CodePattern();
}
