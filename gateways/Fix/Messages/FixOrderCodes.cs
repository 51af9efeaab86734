using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Fix.Messages;

/// <summary>FIX 4.4 code values for the contracts' order enums, both ways.</summary>
public static class FixOrderCodes
{
    /// <summary>Side (54).</summary>
    public static char Code(Side side) => side == Side.Buy ? '1' : '2';

    /// <summary>OrdType (40).</summary>
    public static char Code(OrderType type) => type switch
    {
        OrderType.Market => '1',
        OrderType.Limit => '2',
        OrderType.Stop => '3',
        _ => '4',
    };

    /// <summary>TimeInForce (59); post-only is Day plus ExecInst 6 (participate, don't initiate).</summary>
    public static char Code(TimeInForce tif) => tif switch
    {
        TimeInForce.Gtc => '1',
        TimeInForce.Ioc => '3',
        TimeInForce.Fok => '4',
        _ => '0',
    };

    /// <summary>ExecType (150).</summary>
    public static char Code(ExecType type) => type switch
    {
        ExecType.New => '0',
        ExecType.Trade => 'F',
        ExecType.Canceled => '4',
        ExecType.Replaced => '5',
        ExecType.Rejected => '8',
        ExecType.Expired => 'C',
        ExecType.PendingCancel => '6',
        ExecType.PendingNew => 'A',
        ExecType.OrderStatus => 'I',
        _ => 'D',
    };

    /// <summary>OrdStatus (39).</summary>
    public static char Code(OrderStatus status) => status switch
    {
        OrderStatus.PendingNew => 'A',
        OrderStatus.New => '0',
        OrderStatus.PartiallyFilled => '1',
        OrderStatus.Filled => '2',
        OrderStatus.PendingCancel => '6',
        OrderStatus.Canceled => '4',
        OrderStatus.Replaced => '5',
        OrderStatus.Rejected => '8',
        _ => 'C',
    };

    /// <summary>Side from its code.</summary>
    public static Side? ParseSide(char code) => code switch { '1' => Side.Buy, '2' or '5' or '6' => Side.Sell, _ => null };

    /// <summary>OrdType from its code.</summary>
    public static OrderType? ParseOrderType(char code) => code switch
    {
        '1' => OrderType.Market,
        '2' => OrderType.Limit,
        '3' => OrderType.Stop,
        '4' => OrderType.StopLimit,
        _ => null,
    };

    /// <summary>TimeInForce from its code (absent: Day).</summary>
    public static TimeInForce? ParseTimeInForce(char code) => code switch
    {
        '0' => TimeInForce.Day,
        '1' => TimeInForce.Gtc,
        '3' => TimeInForce.Ioc,
        '4' => TimeInForce.Fok,
        _ => null,
    };

    /// <summary>ExecType from its code.</summary>
    public static ExecType? ParseExecType(char code) => code switch
    {
        '0' => ExecType.New,
        'F' or '1' or '2' => ExecType.Trade,
        '4' => ExecType.Canceled,
        '5' => ExecType.Replaced,
        '8' => ExecType.Rejected,
        'C' => ExecType.Expired,
        '6' => ExecType.PendingCancel,
        'A' => ExecType.PendingNew,
        'D' => ExecType.Restated,
        'I' => ExecType.OrderStatus,
        _ => null,
    };

    /// <summary>OrdStatus from its code.</summary>
    public static OrderStatus? ParseStatus(char code) => code switch
    {
        'A' => OrderStatus.PendingNew,
        '0' => OrderStatus.New,
        '1' => OrderStatus.PartiallyFilled,
        '2' => OrderStatus.Filled,
        '6' => OrderStatus.PendingCancel,
        '4' => OrderStatus.Canceled,
        '5' => OrderStatus.Replaced,
        '8' => OrderStatus.Rejected,
        'C' => OrderStatus.Expired,
        _ => null,
    };
}
