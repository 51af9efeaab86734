using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CroweLogic.Flow.Temporal;

/// <summary>
/// gRPC errors the SDK understands: a status code, a message, and where the SDK raises a typed exception
/// (WorkflowAlreadyStarted, NotFound …) Temporal's error detail in a google.rpc.Status under grpc-status-details-bin.
/// </summary>
internal static class RpcErrors
{
    public static RpcException Create(StatusCode code, string message, IMessage? detail = null)
    {
        var trailers = new Metadata();
        if (detail is not null) trailers.Add("grpc-status-details-bin", EncodeStatus((int)code, message, Any.Pack(detail)));
        return new RpcException(new Status(code, message), trailers, message);
    }

    public static RpcException NotFound(string message) =>
        Create(StatusCode.NotFound, message, new Temporalio.Api.ErrorDetails.V1.NotFoundFailure());

    public static RpcException InvalidArgument(string message) => Create(StatusCode.InvalidArgument, message);

    // google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }, encoded by
    // hand because Temporalio.dll does not ship the google.rpc types.
    private static byte[] EncodeStatus(int code, string message, Any detail)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(code);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(message);
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(detail);
        output.Flush();
        return buffer.ToArray();
    }
}
