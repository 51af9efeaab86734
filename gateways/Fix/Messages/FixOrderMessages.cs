using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Fix.Messages;

/// <summary>
/// Maps the platform's order contracts to FIX 4.4 application messages and back: NewOrderSingle, OrderCancelRequest,
/// OrderCancelReplaceRequest out; ExecutionReport and OrderCancelReject in (and the reverse, for venues we run).
/// </summary>
public static class FixOrderMessages
{
    /// <summary>NewOrderSingle (35=D) for an order; <paramref name="precision"/> fraction digits in TransactTime.</summary>
    public static FixOutbound NewOrderSingle(Order order, long transactTime, FixOutbound? reuse = null, int precision = 3)
    {
        var message = (reuse ?? new FixOutbound(FixMsgType.NewOrderSingle)).Reset(FixMsgType.NewOrderSingle);
        var body = message.Body.Add(FixTag.ClOrdId, order.OrderId);
        if (order.Portfolio.Length > 0) body.Add(FixTag.Account, order.Portfolio);
        if (order.TimeInForce == TimeInForce.PostOnly) body.Add(18, "6");
        body.Add(FixTag.Symbol, order.Instrument).Add(FixTag.Side, FixOrderCodes.Code(order.Side)).AddTimestamp(FixTag.TransactTime, transactTime, precision)
            .Add(FixTag.OrderQty, order.Quantity).Add(FixTag.OrdType, FixOrderCodes.Code(order.Type));
        if (order.LimitPrice is { } limit) body.Add(FixTag.Price, limit);
        if (order.StopPrice is { } stop) body.Add(FixTag.StopPx, stop);
        body.Add(FixTag.TimeInForce, FixOrderCodes.Code(order.TimeInForce));
        return message;
    }

    /// <summary>OrderCancelRequest (35=F).</summary>
    public static FixOutbound CancelRequest(string clOrdId, Order original, long transactTime, double? remainingQuantity = null, int precision = 3) =>
        CancelOrReplace(FixMsgType.OrderCancelRequest, clOrdId, original, transactTime, remainingQuantity ?? original.Quantity, null, precision);

    /// <summary>OrderCancelReplaceRequest (35=G) to a new quantity and/or limit price.</summary>
    public static FixOutbound ReplaceRequest(string clOrdId, Order original, long transactTime, double newQuantity, double? newLimitPrice, int precision = 3) =>
        CancelOrReplace(FixMsgType.OrderCancelReplaceRequest, clOrdId, original, transactTime, newQuantity, newLimitPrice ?? original.LimitPrice, precision);

    /// <summary>OrderStatusRequest (35=H): what the venue holds of an order, answered with an ExecutionReport of ExecType I.</summary>
    public static FixOutbound StatusRequest(Order order, string requestId)
    {
        var message = new FixOutbound(FixMsgType.OrderStatusRequest);
        message.Body.Add(FixTag.ClOrdId, order.OrderId).Add(790, requestId).Add(FixTag.Symbol, order.Instrument).Add(FixTag.Side, FixOrderCodes.Code(order.Side));
        return message;
    }

    /// <summary>Reads an ExecutionReport (35=8) into the contract.</summary>
    /// <exception cref="FixBusinessRejectException">A field the contract needs is missing or has a value it cannot represent.</exception>
    public static ExecutionReport ToExecutionReport(FixMessage message, string venue)
    {
        var execType = FixOrderCodes.ParseExecType(Char(message, FixTag.ExecType)) ?? throw Unsupported(FixTag.ExecType, message);
        var status = FixOrderCodes.ParseStatus(Char(message, FixTag.OrdStatus)) ?? throw Unsupported(FixTag.OrdStatus, message);
        var side = FixOrderCodes.ParseSide(Char(message, FixTag.Side)) ?? throw Unsupported(FixTag.Side, message);
        var ts = message.TryGetTimestamp(FixTag.TransactTime, out var t) ? t : message.TryGetTimestamp(FixTag.SendingTime, out var s) ? s : 0;
        var liquidity = message.GetString(FixTag.LastLiquidityInd) switch { "1" => "maker", "2" => "taker", _ => "" };
        var clOrdId = message.GetString(FixTag.ClOrdId) ?? message.GetString(FixTag.OrigClOrdId) ?? throw Missing(FixTag.ClOrdId);
        return new ExecutionReport(
            message.GetString(FixTag.ExecId) ?? throw Missing(FixTag.ExecId), clOrdId, message.GetString(FixTag.Symbol) ?? "", ts,
            execType, status, side, Number(message, FixTag.LastQty), Number(message, FixTag.LastPx), Number(message, FixTag.CumQty),
            Number(message, FixTag.LeavesQty), Number(message, FixTag.AvgPx), Number(message, 12), venue, liquidity, message.GetString(FixTag.Text) ?? "");
    }

    /// <summary>Reads an OrderCancelReject (35=9).</summary>
    public static OrderCancelRejected ToCancelReject(FixMessage message) => new(
        message.GetString(FixTag.ClOrdId) ?? throw Missing(FixTag.ClOrdId), message.GetString(FixTag.OrigClOrdId) ?? "", message.GetString(FixTag.OrderId) ?? "",
        FixOrderCodes.ParseStatus(Char(message, FixTag.OrdStatus)) ?? OrderStatus.Rejected,
        message.TryGetInt(FixTag.CxlRejResponseTo, out var to) ? to : 1, message.TryGetInt(FixTag.CxlRejReason, out var reason) ? reason : 99,
        message.GetString(FixTag.Text) ?? "");

    /// <summary>Reads a NewOrderSingle (venue side) into an order.</summary>
    /// <exception cref="FixBusinessRejectException">Side, type or quantity is missing or unsupported.</exception>
    public static Order ToOrder(FixMessage message, string venue)
    {
        var side = FixOrderCodes.ParseSide(Char(message, FixTag.Side)) ?? throw Unsupported(FixTag.Side, message);
        var type = FixOrderCodes.ParseOrderType(Char(message, FixTag.OrdType)) ?? throw Unsupported(FixTag.OrdType, message);
        var tif = message.Has(FixTag.TimeInForce) ? FixOrderCodes.ParseTimeInForce(Char(message, FixTag.TimeInForce)) ?? throw Unsupported(FixTag.TimeInForce, message) : TimeInForce.Day;
        if (message.GetString(18)?.Split(' ').Contains("6") == true) tif = TimeInForce.PostOnly;
        if (!message.TryGetDecimal(FixTag.OrderQty, out var quantity) || quantity <= 0) throw new FixBusinessRejectException(5, "OrderQty (38) must be a positive quantity", FixTag.OrderQty);
        double? limit = message.TryGetDecimal(FixTag.Price, out var p) ? (double)p : null;
        double? stop = message.TryGetDecimal(FixTag.StopPx, out var sp) ? (double)sp : null;
        if (type is OrderType.Limit or OrderType.StopLimit && limit is null) throw new FixBusinessRejectException(5, "a limit order needs Price (44)", FixTag.Price);
        if (type is OrderType.Stop or OrderType.StopLimit && stop is null) throw new FixBusinessRejectException(5, "a stop order needs StopPx (99)", FixTag.StopPx);
        var ts = message.TryGetTimestamp(FixTag.TransactTime, out var t) ? t : 0;
        return new Order(message.GetString(FixTag.ClOrdId) ?? throw Missing(FixTag.ClOrdId), "", message.GetString(FixTag.Symbol) ?? throw Missing(FixTag.Symbol),
            ts, side, type, tif, (double)quantity, limit, stop, message.GetString(FixTag.Account) ?? "", venue, "", []);
    }

    /// <summary>An ExecutionReport (35=8) for a report we issue as a venue.</summary>
    public static FixOutbound ExecutionReport(ExecutionReport report, string venueOrderId, Order order, FixOutbound? reuse = null, int precision = 3)
    {
        var message = (reuse ?? new FixOutbound(FixMsgType.ExecutionReport)).Reset(FixMsgType.ExecutionReport);
        var body = message.Body.Add(FixTag.OrderId, venueOrderId).Add(FixTag.ClOrdId, report.OrderId).Add(FixTag.ExecId, report.ExecId)
            .Add(FixTag.ExecType, FixOrderCodes.Code(report.ExecType)).Add(FixTag.OrdStatus, FixOrderCodes.Code(report.Status))
            .Add(FixTag.Symbol, report.Instrument).Add(FixTag.Side, FixOrderCodes.Code(report.Side)).Add(FixTag.OrdType, FixOrderCodes.Code(order.Type))
            .Add(FixTag.OrderQty, order.Quantity);
        if (order.LimitPrice is { } limit) body.Add(FixTag.Price, limit);
        if (report.LastQty > 0) body.Add(FixTag.LastQty, report.LastQty).Add(FixTag.LastPx, report.LastPrice);
        if (report.Liquidity.Length > 0) body.Add(FixTag.LastLiquidityInd, report.Liquidity == "maker" ? 1 : 2);
        body.Add(FixTag.LeavesQty, report.LeavesQty).Add(FixTag.CumQty, report.CumQty).Add(FixTag.AvgPx, report.AvgPrice).AddTimestamp(FixTag.TransactTime, report.Ts, precision);
        if (report.Fee != 0) body.Add(12, report.Fee).Add(13, '3');
        if (report.Text.Length > 0) body.Add(FixTag.Text, report.Text);
        return message;
    }

    /// <summary>An OrderCancelReject (35=9) we issue as a venue.</summary>
    public static FixOutbound CancelReject(OrderCancelRejected reject, long transactTime, FixOutbound? reuse = null, int precision = 3)
    {
        var message = (reuse ?? new FixOutbound(FixMsgType.OrderCancelReject)).Reset(FixMsgType.OrderCancelReject);
        message.Body.Add(FixTag.OrderId, reject.OrderId.Length > 0 ? reject.OrderId : "NONE").Add(FixTag.ClOrdId, reject.ClOrdId).Add(FixTag.OrigClOrdId, reject.OrigClOrdId)
            .Add(FixTag.OrdStatus, FixOrderCodes.Code(reject.Status)).AddTimestamp(FixTag.TransactTime, transactTime, precision)
            .Add(FixTag.CxlRejResponseTo, (char)('0' + reject.ResponseTo)).Add(FixTag.CxlRejReason, reject.Reason);
        if (reject.Text.Length > 0) message.Body.Add(FixTag.Text, reject.Text);
        return message;
    }

    private static FixOutbound CancelOrReplace(string msgType, string clOrdId, Order original, long transactTime, double quantity, double? limit, int precision)
    {
        var message = new FixOutbound(msgType);
        var body = message.Body.Add(FixTag.OrigClOrdId, original.OrderId).Add(FixTag.ClOrdId, clOrdId);
        if (original.Portfolio.Length > 0) body.Add(FixTag.Account, original.Portfolio);
        body.Add(FixTag.Symbol, original.Instrument).Add(FixTag.Side, FixOrderCodes.Code(original.Side)).AddTimestamp(FixTag.TransactTime, transactTime, precision)
            .Add(FixTag.OrderQty, quantity);
        if (msgType == FixMsgType.OrderCancelReplaceRequest)
        {
            body.Add(FixTag.OrdType, FixOrderCodes.Code(original.Type));
            if (limit is { } price) body.Add(FixTag.Price, price);
            body.Add(FixTag.TimeInForce, FixOrderCodes.Code(original.TimeInForce));
        }
        return message;
    }

    private static char Char(FixMessage message, int tag) => message.TryGet(tag, out var v) && v.Length == 1 ? (char)v[0] : '\0';

    private static double Number(FixMessage message, int tag) => message.TryGetDecimal(tag, out var v) ? (double)v : 0;

    private static FixBusinessRejectException Missing(int tag) => new(5, $"required field {tag} is missing", tag);

    private static FixBusinessRejectException Unsupported(int tag, FixMessage message) => new(0, $"tag {tag} value '{message.GetString(tag)}' is not supported", tag);
}
