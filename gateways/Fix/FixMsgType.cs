namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>FIX 4.4 MsgType (35) values the engine handles.</summary>
public static class FixMsgType
{
#pragma warning disable CS1591 // the names are the FIX message names
    public const string Heartbeat = "0";
    public const string TestRequest = "1";
    public const string ResendRequest = "2";
    public const string Reject = "3";
    public const string SequenceReset = "4";
    public const string Logout = "5";
    public const string ExecutionReport = "8";
    public const string OrderCancelReject = "9";
    public const string Logon = "A";
    public const string NewOrderSingle = "D";
    public const string OrderCancelRequest = "F";
    public const string OrderCancelReplaceRequest = "G";

    /// <summary>OrderStatusRequest.</summary>
    public const string OrderStatusRequest = "H";
    public const string MarketDataRequest = "V";
    public const string MarketDataSnapshotFullRefresh = "W";
    public const string MarketDataIncrementalRefresh = "X";
    public const string MarketDataRequestReject = "Y";
    public const string SecurityDefinition = "d";
    public const string BusinessMessageReject = "j";
#pragma warning restore CS1591

    /// <summary>Session-level (administrative) message types.</summary>
    public static bool IsAdmin(ReadOnlySpan<byte> msgType) =>
        msgType.Length == 1 && msgType[0] is (byte)'0' or (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'A';
}
