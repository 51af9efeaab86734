using System.Text.Json;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>An <c>executionReport</c> from the user-data stream (the fields this client books).</summary>
/// <param name="Symbol">s.</param>
/// <param name="ClientOrderId">c: the order's client id — for a cancel, the cancel request's.</param>
/// <param name="OrigClientOrderId">C: the cancelled order's client id (empty unless cancelled).</param>
/// <param name="Side">S.</param>
/// <param name="ExecutionType">x: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION.</param>
/// <param name="Status">X: NEW, PARTIALLY_FILLED, FILLED, CANCELED, PENDING_CANCEL, REJECTED, EXPIRED, EXPIRED_IN_MATCH.</param>
/// <param name="RejectReason">r.</param>
/// <param name="OrderId">i: the venue's order id.</param>
/// <param name="LastQty">l.</param>
/// <param name="CumQty">z.</param>
/// <param name="LastPrice">L.</param>
/// <param name="CumQuote">Z.</param>
/// <param name="Commission">n.</param>
/// <param name="CommissionAsset">N (empty when none).</param>
/// <param name="TransactTime">T, ns since the epoch.</param>
/// <param name="TradeId">t (−1 when no trade).</param>
/// <param name="Maker">m.</param>
public sealed record BinanceOrderUpdate(string Symbol, string ClientOrderId, string OrigClientOrderId, Side Side, string ExecutionType, string Status, string RejectReason,
    long OrderId, decimal LastQty, decimal CumQty, decimal LastPrice, decimal CumQuote, decimal Commission, string CommissionAsset, long TransactTime, long TradeId, bool Maker);

/// <summary>An order as <c>GET /api/v3/order</c> or <c>DELETE /api/v3/order</c> answers: what reconciliation compares with what the lane was told.</summary>
/// <param name="Symbol">symbol.</param>
/// <param name="ClientOrderId">clientOrderId (for a cancel answer, origClientOrderId: the order's own).</param>
/// <param name="Status">status.</param>
/// <param name="ExecutedQty">executedQty.</param>
/// <param name="CumQuote">cummulativeQuoteQty.</param>
/// <param name="Time">updateTime or transactTime, ns since the epoch (0 when absent).</param>
public sealed record BinanceOrderState(string Symbol, string ClientOrderId, string Status, decimal ExecutedQty, decimal CumQuote, long Time);

/// <summary>A WebSocket API answer to one of our requests.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Status">HTTP-like status (200 is success).</param>
/// <param name="Code">Binance error code on failure.</param>
/// <param name="Message">Binance error message on failure.</param>
/// <param name="SubscriptionId">result.subscriptionId of a user-data subscription.</param>
public sealed record BinanceWsResponse(string Id, int Status, int? Code, string Message, long? SubscriptionId);

/// <summary>The venue ended a user-data subscription (<c>eventStreamTerminated</c>).</summary>
/// <param name="Time">E, ns since the epoch.</param>
public sealed record BinanceStreamTerminated(long Time);

/// <summary>
/// Binance spot order-entry payloads as the venue documents them: the WebSocket API's answers
/// (<c>{"id","status","result"|"error"}</c>) and user-data events (<c>{"subscriptionId","event":{…}}</c>), the REST
/// order answers and error bodies (<c>{"code","msg"}</c>). Account and balance events are read and ignored (the lane
/// books positions from fills); anything malformed is a <see cref="FormatException"/> naming what is wrong.
/// </summary>
public static class BinanceOrderMessages
{
    /// <summary>One WebSocket API message: a <see cref="BinanceWsResponse"/>, <see cref="BinanceOrderUpdate"/>, <see cref="BinanceStreamTerminated"/>, or null for an event this client does not book.</summary>
    /// <exception cref="FormatException">Not JSON, or not a message of the WebSocket API.</exception>
    public static object? Parse(ReadOnlyMemory<byte> json)
    {
        using var document = BinanceJson.Parse(json, "a WebSocket API message");
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"a WebSocket API message is a JSON object, got {root.ValueKind}");
        if (root.TryGetProperty("status", out var status))
        {
            var id = root.TryGetProperty("id", out var i) ? i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText() : "";
            int? code = null;
            var message = "";
            if (root.TryGetProperty("error", out var error))
            {
                code = (int)BinanceJson.Long(error, "code");
                message = BinanceJson.OptionalText(error, "msg");
            }
            long? subscription = root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("subscriptionId", out var s) && s.TryGetInt64(out var n) ? n : null;
            return new BinanceWsResponse(id, status.GetInt32(), code, message, subscription);
        }
        var data = root.TryGetProperty("event", out var e) ? e : root;
        return BinanceJson.Text(data, "e") switch
        {
            "executionReport" => Update(data),
            "eventStreamTerminated" => new BinanceStreamTerminated(BinanceJson.Millis(data, "E")),
            "outboundAccountPosition" or "balanceUpdate" or "listStatus" or "externalLockUpdate" or "listenKeyExpired" => null,
            var kind => throw new FormatException($"unexpected user-data event '{kind}'"),
        };
    }

    /// <summary>An order answer of the REST API (query or cancel).</summary>
    /// <exception cref="FormatException">Not an order.</exception>
    public static BinanceOrderState ParseOrder(ReadOnlyMemory<byte> json)
    {
        using var document = BinanceJson.Parse(json, "an order answer");
        var root = document.RootElement;
        var own = BinanceJson.OptionalText(root, "origClientOrderId");
        var time = root.TryGetProperty("updateTime", out _) ? BinanceJson.Millis(root, "updateTime") : root.TryGetProperty("transactTime", out _) ? BinanceJson.Millis(root, "transactTime") : 0;
        return new BinanceOrderState(BinanceJson.Text(root, "symbol"), own.Length > 0 ? own : BinanceJson.Text(root, "clientOrderId"), BinanceJson.Text(root, "status"),
            BinanceJson.Decimal(root, "executedQty"), BinanceJson.Decimal(root, "cummulativeQuoteQty"), time);
    }

    /// <summary>A REST error body's code and message; (null, the body) when it is not one.</summary>
    public static (int? Code, string Message) ParseError(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.TryGetInt32(out var c))
                return (c, BinanceJson.OptionalText(root, "msg"));
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the caller reports the raw text.
        }
        var text = System.Text.Encoding.UTF8.GetString(json.Span);
        return (null, text.Length > 300 ? text[..300] + "…" : text);
    }

    /// <summary>The lane's order status for a Binance order status.</summary>
    /// <exception cref="FormatException">A status Binance does not document.</exception>
    public static OrderStatus Status(string status) => status switch
    {
        "NEW" or "PENDING_NEW" => OrderStatus.New,
        "PARTIALLY_FILLED" => OrderStatus.PartiallyFilled,
        "FILLED" => OrderStatus.Filled,
        "CANCELED" => OrderStatus.Canceled,
        "PENDING_CANCEL" => OrderStatus.PendingCancel,
        "REJECTED" => OrderStatus.Rejected,
        "EXPIRED" or "EXPIRED_IN_MATCH" => OrderStatus.Expired,
        _ => throw new FormatException($"unknown Binance order status '{status}'"),
    };

    /// <summary>Whether a status ends the order.</summary>
    public static bool IsTerminal(OrderStatus status) => status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired;

    private static BinanceOrderUpdate Update(JsonElement e)
    {
        var side = BinanceJson.Text(e, "S") switch
        {
            "BUY" => Side.Buy,
            "SELL" => Side.Sell,
            var s => throw new FormatException($"executionReport: side '{s}' is neither BUY nor SELL"),
        };
        return new BinanceOrderUpdate(BinanceJson.Text(e, "s"), BinanceJson.Text(e, "c"), BinanceJson.OptionalText(e, "C"), side, BinanceJson.Text(e, "x"), BinanceJson.Text(e, "X"),
            BinanceJson.OptionalText(e, "r"), BinanceJson.Long(e, "i"), BinanceJson.Decimal(e, "l"), BinanceJson.Decimal(e, "z"), BinanceJson.Decimal(e, "L"),
            BinanceJson.Decimal(e, "Z"), BinanceJson.Decimal(e, "n"), BinanceJson.OptionalText(e, "N"), BinanceJson.Millis(e, "T"), BinanceJson.Long(e, "t"),
            e.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.True);
    }
}
