using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A local stand-in for a Binance spot account on 127.0.0.1, in the venue's exact formats as its API documentation gives
/// them: <c>GET /api/v3/time</c> and <c>/api/v3/exchangeInfo</c> (BTCUSDT's filters), the SIGNED order endpoints
/// (<c>POST</c>/<c>DELETE</c>/<c>GET /api/v3/order</c>, <c>POST /api/v3/order/cancelReplace</c>) which check
/// X-MBX-APIKEY, the HMAC-SHA256 signature and the recvWindow as the venue does and answer −1022, −2014, −1021, −2010,
/// −2011 and −2013 with its messages, and the WebSocket API (<c>/ws-api/v3</c>) with
/// <c>userDataStream.subscribe.signature</c> and <c>executionReport</c> events. Orders that cross the scripted touch
/// fill at it at once; others rest until the test fills them — over the stream, or silently (what a dead stream misses).
/// </summary>
public sealed class LocalBinanceAccount
{
    private readonly string _apiKey;
    private readonly byte[] _secret;
    private readonly ConcurrentQueue<(int Status, string Body, int? RetryAfter, bool PlaceAnyway)> _scripted = new();
    private readonly Dictionary<string, VenueOrder> _orders = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private WebSocket? _socket;
    private long _nextOrderId = 4_293_153;
    private long _nextTradeId = 1_000_000;
    private int _subscriptions;

    /// <summary>An account with these credentials.</summary>
    public LocalBinanceAccount(string apiKey, string secret) => (_apiKey, _secret) = (apiKey, Encoding.UTF8.GetBytes(secret));

    /// <summary>Best bid and ask (market and marketable limit orders fill there).</summary>
    public (decimal Bid, decimal Ask) Touch { get; set; } = (64_000.00m, 64_000.01m);

    /// <summary>Order requests received (method, path and query, signature stripped).</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Accepted user-data subscriptions.</summary>
    public int Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Orders resting (NEW or PARTIALLY_FILLED).</summary>
    public int Open
    {
        get
        {
            lock (_orders) return _orders.Values.Count(o => o.Status is "NEW" or "PARTIALLY_FILLED");
        }
    }

    /// <summary>Answers the next order placement with this instead (placing it first when <paramref name="placeAnyway"/>: a 5xx after the fact).</summary>
    public void Script(int status, string body, int? retryAfter = null, bool placeAnyway = false) => _scripted.Enqueue((status, body, retryAfter, placeAnyway));

    /// <summary>Registers the endpoints on <paramref name="app"/>.</summary>
    public void Map(WebApplication app)
    {
        app.MapGet("/api/v3/time", () => Results.Text($"{{\"serverTime\":{Now}}}", "application/json"));
        app.MapGet("/api/v3/exchangeInfo", (string symbol) => Results.Text(ExchangeInfo(symbol), "application/json"));
        app.MapPost("/api/v3/order", (Delegate)PlaceAsync);
        app.MapDelete("/api/v3/order", (Delegate)CancelAsync);
        app.MapGet("/api/v3/order", (Delegate)Query);
        app.MapPost("/api/v3/order/cancelReplace", (Delegate)CancelReplaceAsync);
        app.Map("/ws-api/v3", WsApiAsync);
    }

    /// <summary>Fills <paramref name="quantity"/> of a resting order at <paramref name="price"/>; <paramref name="silently"/> sends no event.</summary>
    public async Task FillAsync(string clientOrderId, decimal quantity, decimal price, bool silently = false)
    {
        VenueOrder order;
        lock (_orders) order = _orders[clientOrderId];
        Trade(order, quantity, price);
        if (!silently) await EventAsync(order, "TRADE", quantity, price);
    }

    /// <summary>Sends a raw text frame on the user-data connection.</summary>
    public Task SendRawAsync(string text) => SendAsync(text);

    /// <summary>Drops the user-data connection without a close handshake.</summary>
    public void Drop() => _socket?.Abort();

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // BTCUSDT's filters as Binance lists them (tick 0.01, step 0.00001, min notional 5).
    private static string ExchangeInfo(string symbol) =>
        $$"""{"timezone":"UTC","serverTime":{{Now}},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100}],"exchangeFilters":[],"symbols":[{"symbol":"{{symbol}}","status":"TRADING","baseAsset":"BTC","baseAssetPrecision":8,"quoteAsset":"USDT","quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","LIMIT_MAKER","MARKET","STOP_LOSS","STOP_LOSS_LIMIT","TAKE_PROFIT","TAKE_PROFIT_LIMIT"],"icebergAllowed":true,"ocoAllowed":true,"isSpotTradingAllowed":true,"isMarginTradingAllowed":true,"filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"},{"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,"maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}],"permissions":[],"defaultSelfTradePreventionMode":"EXPIRE_MAKER","allowedSelfTradePreventionModes":["EXPIRE_TAKER","EXPIRE_MAKER","EXPIRE_BOTH"]}]}""";

    // The venue's checks of a SIGNED request, in its order: key, signature, timestamp. Null when it passes.
    private IResult? Refused(HttpContext context, string method)
    {
        var query = context.Request.QueryString.Value?.TrimStart('?') ?? "";
        var at = query.LastIndexOf("&signature=", StringComparison.Ordinal);
        lock (_requests) _requests.Add($"{method} {context.Request.Path}?{(at < 0 ? query : query[..at])}");
        if (context.Request.Headers["X-MBX-APIKEY"] != _apiKey) return Error(401, -2014, "API-key format invalid.");
        if (at < 0 || !string.Equals(query[(at + 11)..], Sign(query[..at]), StringComparison.Ordinal)) return Error(400, -1022, "Signature for this request is not valid.");
        var timestamp = long.Parse(context.Request.Query["timestamp"]!, CultureInfo.InvariantCulture);
        var window = long.Parse(context.Request.Query["recvWindow"].FirstOrDefault() ?? "5000", CultureInfo.InvariantCulture);
        if (timestamp > Now + 1000 || Now - timestamp > window) return Error(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        return null;
    }

    private string Sign(string payload) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(payload)));

    private static IResult Error(int status, int code, string message) => Results.Text($"{{\"code\":{code},\"msg\":\"{message}\"}}", "application/json", statusCode: status);

    private async Task<IResult> PlaceAsync(HttpContext context)
    {
        if (Refused(context, "POST") is { } refused) return refused;
        var q = context.Request.Query;
        var placeAnyway = false;
        if (_scripted.TryDequeue(out var script))
        {
            if (!script.PlaceAnyway)
            {
                if (script.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Results.Text(script.Body, "application/json", statusCode: script.Status);
            }
            placeAnyway = true;
        }
        var (order, error) = New(q["symbol"]!, q["side"]!, q["type"]!, q["timeInForce"].FirstOrDefault(), q["quantity"]!, q["price"].FirstOrDefault(), q["newClientOrderId"]!);
        if (error is not null) return error;
        await EventAsync(order!, "NEW", 0, 0);
        await MatchAsync(order!);
        context.Response.Headers["X-MBX-USED-WEIGHT-1M"] = "3";
        context.Response.Headers["X-MBX-ORDER-COUNT-10S"] = "1";
        if (placeAnyway) return Results.Text(script.Body, "application/json", statusCode: script.Status);
        return Results.Text($"{{\"symbol\":\"{order!.Symbol}\",\"orderId\":{order.OrderId},\"orderListId\":-1,\"clientOrderId\":\"{order.ClientOrderId}\",\"transactTime\":{Now}}}", "application/json");
    }

    private (VenueOrder? Order, IResult? Error) New(string symbol, string side, string type, string? tif, string quantity, string? price, string clientOrderId)
    {
        if (type is "LIMIT" && (tif is null || price is null)) return (null, Error(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."));
        var qty = decimal.Parse(quantity, CultureInfo.InvariantCulture);
        var px = price is null ? (decimal?)null : decimal.Parse(price, CultureInfo.InvariantCulture);
        if (qty % 0.00001m != 0) return (null, Error(400, -1013, "Filter failure: LOT_SIZE"));
        if (px is { } p && p % 0.01m != 0) return (null, Error(400, -1013, "Filter failure: PRICE_FILTER"));
        lock (_orders)
        {
            if (_orders.ContainsKey(clientOrderId)) return (null, Error(400, -2010, "Duplicate order sent."));
            var order = new VenueOrder(symbol, clientOrderId, Interlocked.Increment(ref _nextOrderId), side, type, tif ?? "GTC", qty, px);
            _orders[clientOrderId] = order;
            return (order, null);
        }
    }

    private async Task MatchAsync(VenueOrder order)
    {
        var (bid, ask) = Touch;
        var crosses = order.Type == "MARKET" || (order.Side == "BUY" ? order.Price >= ask : order.Price <= bid);
        if (!crosses) return;
        var at = order.Side == "BUY" ? ask : bid;
        Trade(order, order.OrigQty, at);
        await EventAsync(order, "TRADE", order.OrigQty, at, maker: false);
    }

    private void Trade(VenueOrder order, decimal quantity, decimal price)
    {
        lock (_orders)
        {
            order.Executed += quantity;
            order.CumQuote += quantity * price;
            order.Status = order.Executed >= order.OrigQty ? "FILLED" : "PARTIALLY_FILLED";
        }
    }

    private async Task<IResult> CancelAsync(HttpContext context)
    {
        if (Refused(context, "DELETE") is { } refused) return refused;
        var q = context.Request.Query;
        var (order, error) = Cancel(q["origClientOrderId"]!);
        if (error is not null) return error;
        var cancelId = q["newClientOrderId"].FirstOrDefault() ?? $"cancel{order!.OrderId}";
        await EventAsync(order!, "CANCELED", 0, 0, cancelId: cancelId);
        return Results.Text(OrderJson(order!, cancelId), "application/json");
    }

    private (VenueOrder? Order, IResult? Error) Cancel(string clientOrderId)
    {
        lock (_orders)
        {
            if (!_orders.TryGetValue(clientOrderId, out var order) || order.Status is not ("NEW" or "PARTIALLY_FILLED")) return (null, Error(400, -2011, "Unknown order sent."));
            order.Status = "CANCELED";
            return (order, null);
        }
    }

    private IResult Query(HttpContext context)
    {
        if (Refused(context, "GET") is { } refused) return refused;
        lock (_orders)
        {
            return _orders.TryGetValue(context.Request.Query["origClientOrderId"]!, out var order)
                ? Results.Text(OrderJson(order, null), "application/json")
                : Error(400, -2013, "Order does not exist.");
        }
    }

    private async Task<IResult> CancelReplaceAsync(HttpContext context)
    {
        if (Refused(context, "POST") is { } refused) return refused;
        var q = context.Request.Query;
        var (old, error) = Cancel(q["cancelOrigClientOrderId"]!);
        if (error is not null)
            return Results.Text("""{"code":-2022,"msg":"Order cancel-replace failed.","data":{"cancelResult":"FAILURE","newOrderResult":"NOT_ATTEMPTED","cancelResponse":{"code":-2011,"msg":"Unknown order sent."},"newOrderResponse":null}}""", "application/json", statusCode: 400);
        await EventAsync(old!, "CANCELED", 0, 0, cancelId: $"replace{old!.OrderId}");
        var (order, _) = New(q["symbol"]!, q["side"]!, q["type"]!, q["timeInForce"].FirstOrDefault(), q["quantity"]!, q["price"].FirstOrDefault(), q["newClientOrderId"]!);
        await EventAsync(order!, "NEW", 0, 0);
        return Results.Text($"{{\"cancelResult\":\"SUCCESS\",\"newOrderResult\":\"SUCCESS\",\"cancelResponse\":{OrderJson(old, $"replace{old.OrderId}")},\"newOrderResponse\":{{\"symbol\":\"{order!.Symbol}\",\"orderId\":{order.OrderId},\"orderListId\":-1,\"clientOrderId\":\"{order.ClientOrderId}\",\"transactTime\":{Now}}}}}", "application/json");
    }

    private static string OrderJson(VenueOrder o, string? cancelId)
    {
        var ids = cancelId is null ? $"\"clientOrderId\":\"{o.ClientOrderId}\"" : $"\"origClientOrderId\":\"{o.ClientOrderId}\",\"clientOrderId\":\"{cancelId}\"";
        var time = cancelId is null ? $"\"time\":{Now},\"updateTime\":{Now}" : $"\"transactTime\":{Now}";
        return $"{{\"symbol\":\"{o.Symbol}\",\"orderId\":{o.OrderId},\"orderListId\":-1,{ids},\"price\":\"{D(o.Price ?? 0)}\",\"origQty\":\"{D(o.OrigQty)}\",\"executedQty\":\"{D(o.Executed)}\",\"cummulativeQuoteQty\":\"{D(o.CumQuote)}\",\"status\":\"{o.Status}\",\"timeInForce\":\"{o.Tif}\",\"type\":\"{o.Type}\",\"side\":\"{o.Side}\",{time},\"selfTradePreventionMode\":\"NONE\"}}";
    }

    private async Task EventAsync(VenueOrder o, string execution, decimal lastQty, decimal lastPrice, bool maker = true, string? cancelId = null)
    {
        string json;
        lock (_orders)
        {
            var trade = execution == "TRADE" ? Interlocked.Increment(ref _nextTradeId) : -1;
            var commission = execution == "TRADE" ? lastQty * 0.001m : 0;
            json = $$"""{"subscriptionId":0,"event":{"e":"executionReport","E":{{Now}},"s":"{{o.Symbol}}","c":"{{cancelId ?? o.ClientOrderId}}","S":"{{o.Side}}","o":"{{o.Type}}","f":"{{o.Tif}}","q":"{{D(o.OrigQty)}}","p":"{{D(o.Price ?? 0)}}","P":"0.00000000","F":"0.00000000","g":-1,"C":"{{(cancelId is null ? "" : o.ClientOrderId)}}","x":"{{execution}}","X":"{{o.Status}}","r":"NONE","i":{{o.OrderId}},"l":"{{D(lastQty)}}","z":"{{D(o.Executed)}}","L":"{{D(lastPrice)}}","n":"{{D(commission)}}","N":{{(execution == "TRADE" ? "\"BTC\"" : "null")}},"T":{{Now}},"t":{{trade}},"v":3,"I":8641984,"w":{{(o.Status is "NEW" or "PARTIALLY_FILLED" ? "true" : "false")}},"m":{{(maker ? "true" : "false")}},"M":false,"O":{{Now}},"Z":"{{D(o.CumQuote)}}","Y":"{{D(lastQty * lastPrice)}}","Q":"0.00000000","W":{{Now}},"V":"NONE"}""" + "}";
        }
        await SendAsync(json);
    }

    private async Task SendAsync(string text)
    {
        if (_socket is not { State: WebSocketState.Open } socket) return;
        await _sendLock.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The client dropped: what it missed is for its reconciliation.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WsApiAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close) break;
                using var request = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = request.RootElement;
                var id = root.GetProperty("id").GetString();
                var p = root.GetProperty("params");
                var key = p.GetProperty("apiKey").GetString();
                var timestamp = p.GetProperty("timestamp").GetInt64();
                // The WebSocket API signs its parameters sorted by name.
                var valid = key == _apiKey && p.GetProperty("signature").GetString() == Sign($"apiKey={key}&timestamp={timestamp}");
                var answer = valid
                    ? $$"""{"id":"{{id}}","status":200,"result":{"subscriptionId":0},"rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":2}]""" + "}"
                    : $$"""{"id":"{{id}}","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}""" + "}";
                if (valid)
                {
                    _socket = socket;
                    Interlocked.Increment(ref _subscriptions);
                }
                await socket.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Dropped by the test or the client.
        }
    }

    private static string D(decimal value) => value.ToString("0.00000000", CultureInfo.InvariantCulture);

    private sealed class VenueOrder(string symbol, string clientOrderId, long orderId, string side, string type, string tif, decimal origQty, decimal? price)
    {
        public string Symbol { get; } = symbol;
        public string ClientOrderId { get; } = clientOrderId;
        public long OrderId { get; } = orderId;
        public string Side { get; } = side;
        public string Type { get; } = type;
        public string Tif { get; } = tif;
        public decimal OrigQty { get; } = origQty;
        public decimal? Price { get; } = price;
        public decimal Executed { get; set; }
        public decimal CumQuote { get; set; }
        public string Status { get; set; } = "NEW";
    }
}
