using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.Venue.Binance;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Binance spot order entry against a local account speaking the venue's REST and WebSocket API formats: signed
/// orders on the symbol's grid, fills from the user-data stream, cancels and replaces, the venue's refusals and rate
/// limits, an unknown outcome and a dropped stream resolved by the order query — with every fill reported exactly once.
/// </summary>
public sealed class BinanceExecutionTests
{
    private static Order Buy(string id, double quantity, double? limit, OrderType type = OrderType.Limit) =>
        new(id, "", "BTCUSDT", 0, Side.Buy, type, TimeInForce.Day, quantity, limit, null, "paper", "BINANCE", "p1", []);

    private static async Task<(LocalBinanceServer Server, BinanceSpotExecutionClient Client, Events Events)> StartAsync(BinanceCredentials? credentials = null)
    {
        var server = await LocalBinanceServer.StartAsync();
        var client = new BinanceSpotExecutionClient(new BinanceVenueOptions(server.Http, server.WsApi, credentials ?? new BinanceCredentials(LocalBinanceServer.ApiKey, LocalBinanceServer.Secret))
        {
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
            CloseTimeout = TimeSpan.FromSeconds(10),
        });
        var events = new Events();
        client.Start(events);
        return (server, client, events);
    }

    [Fact]
    public async Task A_signed_order_goes_on_the_grid_fills_from_the_stream_and_is_reported_once()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        // Resting: a buy below the ask; its quantity and price are off the grid and are rounded down onto it.
        client.Send(new SubmitOrder(Buy("o-1", 0.0123456, 63_990.129), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.ExecType == ExecType.New), "the order's acknowledgement");
        var sent = Assert.Single(server.Account.Requests, r => r.StartsWith("POST /api/v3/order?", StringComparison.Ordinal));
        Assert.Contains("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01234&newClientOrderId=o-1&timeInForce=GTC&price=63990.12&newOrderRespType=ACK&recvWindow=5000&timestamp=", sent);
        // Two partial fills over the stream.
        await server.Account.FillAsync("o-1", 0.004m, 63_990.12m);
        await server.Account.FillAsync("o-1", 0.00834m, 63_990.10m);
        await events.WaitAsync(() => events.Reports.Any(r => r.Status == OrderStatus.Filled), "the last fill");
        var reports = events.Reports.ToList();
        Assert.Equal([ExecType.New, ExecType.Trade, ExecType.Trade], reports.Select(r => r.ExecType));
        Assert.Equal(0.01234, reports.Sum(r => r.LastQty), 12);
        Assert.Equal(63_990.12, reports[1].LastPrice, 9);
        Assert.Equal(0.004, reports[1].CumQty, 12);
        Assert.Equal(OrderStatus.PartiallyFilled, reports[1].Status);
        Assert.Equal(0.01234, reports[2].CumQty, 12);
        Assert.Equal("maker", reports[2].Liquidity);
        // The commission is charged in BTC and booked in USDT at the fill's price (0.1 % of 0.00834 BTC at 63 990.10).
        Assert.Equal(0.00834 * 0.001 * 63_990.10, reports[2].Fee, 9);
        Assert.Equal(reports.Count, reports.Select(r => r.ExecId).Distinct().Count());
        Assert.Equal(0, client.Working);
    }

    [Fact]
    public async Task A_marketable_order_fills_at_once_and_a_cancel_is_reported_once_though_both_the_answer_and_the_stream_carry_it()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        client.Send(new SubmitOrder(Buy("m-1", 0.001, null, OrderType.Market), 0) { DecisionPrice = 64_000 });
        client.Send(new SubmitOrder(Buy("r-1", 0.001, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "m-1" && r.Status == OrderStatus.Filled) && events.Reports.Any(r => r.OrderId == "r-1"), "a fill and an acknowledgement");
        Assert.Equal(64_000.01, events.Reports.Single(r => r.OrderId == "m-1" && r.IsFill).LastPrice, 9);
        Assert.Equal("taker", events.Reports.Single(r => r.OrderId == "m-1" && r.IsFill).Liquidity);
        client.Send(new CancelOrder("r-1.c", "r-1", "BTCUSDT", Side.Buy, 0.001, 0, "test"));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "r-1" && r.Status == OrderStatus.Canceled), "the cancel");
        await Task.Delay(300);
        Assert.Single(events.Reports, r => r.OrderId == "r-1" && r.ExecType == ExecType.Canceled);
        Assert.Contains(server.Account.Requests, r => r.StartsWith("DELETE /api/v3/order?symbol=BTCUSDT&origClientOrderId=r-1&newClientOrderId=r-1.c", StringComparison.Ordinal));
        // Cancelling it again is refused here, without a request.
        client.Send(new CancelOrder("r-1.c2", "r-1", "BTCUSDT", Side.Buy, 0.001, 0, "test"));
        await events.WaitAsync(() => !events.CancelRejects.IsEmpty, "the refusal");
        Assert.Equal("order r-1 is already Canceled", events.CancelRejects.Single().Text);
        Assert.Equal(0, server.Account.Open);
    }

    [Fact]
    public async Task Refusals_are_named_the_venue_s_own_and_the_rules_and_a_rate_limit_stops_orders_until_retry_after()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        server.Account.Script(400, """{"code":-2010,"msg":"Account has insufficient balance for requested action."}""");
        client.Send(new SubmitOrder(Buy("b-1", 0.01, 60_000), 0));
        // Below LOT_SIZE's minQty once on the grid, and below the 5 USDT minimum notional: refused here.
        client.Send(new SubmitOrder(Buy("b-2", 0.000004, 60_000), 0));
        client.Send(new SubmitOrder(Buy("b-3", 0.00005, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Count(r => r.Status == OrderStatus.Rejected) == 3, "three rejections");
        Assert.Equal("Binance rejected the order: HTTP 400, Binance -2010: Account has insufficient balance for requested action.", events.Reports.Single(r => r.OrderId == "b-1").Text);
        Assert.Equal("BTCUSDT: quantity 0 is below LOT_SIZE minQty 0.00001 (after rounding down to stepSize 0.00001)", events.Reports.Single(r => r.OrderId == "b-2").Text);
        Assert.Equal("BTCUSDT: notional 3 is below the NOTIONAL filter's minNotional 5", events.Reports.Single(r => r.OrderId == "b-3").Text);
        Assert.Single(server.Account.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
        server.Account.Script(429, """{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use WebSocket Streams for live updates to avoid polling the API."}""", retryAfter: 2);
        client.Send(new SubmitOrder(Buy("b-4", 0.001, 60_000), 0));
        client.Send(new SubmitOrder(Buy("b-5", 0.001, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "b-5"), "the order after the rate limit");
        Assert.StartsWith("Binance refused the order: HTTP 429, Binance -1003: Too many requests", events.Reports.Single(r => r.OrderId == "b-4").Text);
        Assert.StartsWith("Binance answered HTTP 429, Binance -1003", events.Reports.Single(r => r.OrderId == "b-5").Text);
        Assert.Equal(2, server.Account.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)));
        // After Retry-After, orders go again.
        await Task.Delay(2100);
        client.Send(new SubmitOrder(Buy("b-6", 0.001, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "b-6" && r.ExecType == ExecType.New), "the order after Retry-After");
    }

    [Fact]
    public async Task An_unknown_outcome_and_a_dropped_stream_are_resolved_by_the_order_query_without_a_lost_or_doubled_fill()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        // A 503 after the venue placed the order (Binance: "the execution status is unknown").
        server.Account.Script(503, """{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}""", placeAnyway: true);
        client.Send(new SubmitOrder(Buy("u-1", 0.002, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "u-1" && r.ExecType == ExecType.New), "the order's acknowledgement");
        await events.WaitAsync(() => server.Account.Requests.Any(r => r.StartsWith("GET /api/v3/order?symbol=BTCUSDT&origClientOrderId=u-1", StringComparison.Ordinal)), "the order query");
        // The stream drops; while it is down the order fills in two parts the client never hears of.
        server.Account.Drop();
        await events.WaitAsync(() => events.Connections.Any(c => !c.Connected), "the drop");
        await server.Account.FillAsync("u-1", 0.0005m, 59_999.00m, silently: true);
        await server.Account.FillAsync("u-1", 0.0015m, 60_000.00m, silently: true);
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "u-1" && r.Status == OrderStatus.Filled), "the reconciled fill");
        Assert.Equal(2, server.Account.Subscriptions);
        var fill = Assert.Single(events.Reports, r => r.IsFill);
        Assert.Equal(0.002, fill.LastQty, 12);
        Assert.Equal((0.0005 * 59_999.00 + 0.0015 * 60_000.00) / 0.002, fill.LastPrice, 6);
        Assert.Equal("reconciled after the user-data stream was down", fill.Text);
        Assert.True(client.Reconciled >= 1);
        Assert.Equal(0, client.Working);
    }

    [Fact]
    public async Task An_unreadable_stream_message_is_named_and_reconciled_and_a_replace_carries_the_order_s_fills()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using var __ = client;
        client.Send(new SubmitOrder(Buy("p-1", 0.003, 60_000), 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "p-1" && r.ExecType == ExecType.New), "the acknowledgement");
        await server.Account.FillAsync("p-1", 0.001m, 60_000m, silently: true);
        await server.Account.SendRawAsync("""{"subscriptionId":0,"event":{"e":"executionReport","E":1499405658658,"s":"BTCUSDT","c":"p-1","S":"BUY","x":"TRADE""");
        await events.WaitAsync(() => events.Reports.Any(r => r.OrderId == "p-1" && r.IsFill), "the reconciled fill");
        Assert.Contains(events.Connections, c => c.Reason.StartsWith("an unreadable user-data message (malformed JSON in a WebSocket API message", StringComparison.Ordinal));
        // Replace: 3 → 4 in total at a new price; Binance's replacement is a new order for what is left (0.003).
        client.Send(new ReplaceOrder("p-1.r", "p-1", "BTCUSDT", Side.Buy, 0.004, 60_010, 0));
        await events.WaitAsync(() => events.Reports.Any(r => r.ExecType == ExecType.Replaced), "the replace");
        var replaced = events.Reports.Single(r => r.ExecType == ExecType.Replaced);
        Assert.Equal(("p-1", 0.001, 0.003, OrderStatus.PartiallyFilled), (replaced.OrderId, replaced.CumQty, replaced.LeavesQty, replaced.Status));
        Assert.Contains(server.Account.Requests, r => r.Contains("/api/v3/order/cancelReplace?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.003&newClientOrderId=p-1.r&timeInForce=GTC&price=60010&cancelReplaceMode=STOP_ON_FAILURE&cancelOrigClientOrderId=p-1", StringComparison.Ordinal));
        Assert.DoesNotContain(events.Reports, r => r.ExecType == ExecType.Canceled);
        // The replacement's fills add to the order's.
        await server.Account.FillAsync("p-1.r", 0.003m, 60_010m);
        await events.WaitAsync(() => events.Reports.Any(r => r.Status == OrderStatus.Filled), "the replacement's fill");
        var last = events.Reports.Last();
        Assert.Equal(("p-1", 0.003, 0.004), (last.OrderId, last.LastQty, last.CumQty));
        Assert.Equal(0, client.Working);
    }

    [Fact]
    public async Task Closing_cancels_what_works_and_wrong_credentials_are_refused_at_start()
    {
        var (server, client, events) = await StartAsync();
        await using var _ = server;
        await using (client)
        {
            client.Send(new SubmitOrder(Buy("c-1", 0.001, 60_000), 0));
            client.Send(new SubmitOrder(Buy("c-2", 0.001, 59_000), 0));
            await events.WaitAsync(() => events.Reports.Count(r => r.ExecType == ExecType.New) == 2, "two acknowledgements");
            client.Close(0);
            Assert.Equal(0, client.Working);
            Assert.Equal(0, server.Account.Open);
            Assert.Equal(2, events.Reports.Count(r => r.ExecType == ExecType.Canceled));
        }
        var wrong = new BinanceSpotExecutionClient(new BinanceVenueOptions(server.Http, server.WsApi, new BinanceCredentials(LocalBinanceServer.ApiKey, "not-the-secret")));
        await using (wrong)
        {
            var e = Assert.Throws<VenueException>(() => wrong.Start(new Events()));
            Assert.Equal("Binance refused the user-data subscription: status 400, Binance -1022: Signature for this request is not valid.", e.Message);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Credentials_come_from_the_environment_or_an_owner_only_file_and_are_never_shown()
    {
        var missing = Assert.Throws<ArgumentException>(() => BinanceCredentials.Load(null, _ => null));
        Assert.Equal("Binance order entry needs credentials: set BINANCE_API_KEY and BINANCE_API_SECRET, or name a mode-600 key file with ?key_file=PATH", missing.Message);
        var fromEnvironment = BinanceCredentials.Load(null, name => name == "BINANCE_API_KEY" ? "abcdefKEY1" : "s3cr3t");
        Assert.Equal("Binance key …KEY1", fromEnvironment.ToString());
        // Binance's documented HMAC-SHA256 example (SIGNED endpoint examples for POST /api/v3/order).
        var documented = new BinanceCredentials("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
        Assert.Equal("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
            documented.Sign("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"));
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "binance.keys");
        File.WriteAllText(file, "# testnet\nBINANCE_API_KEY=fileKEY2\nBINANCE_API_SECRET=topsecret\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var open = Assert.Throws<ArgumentException>(() => BinanceCredentials.Load(file));
        Assert.Equal($"Binance key file {file} is open to its group or others (mode 644): chmod 600 it", open.Message);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var loaded = BinanceCredentials.Load(file);
        Assert.Equal("fileKEY2", loaded.ApiKey);
        Assert.DoesNotContain("topsecret", loaded.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_venue_is_named_binance_or_binance_testnet_and_a_replay_cannot_send_it_orders()
    {
        var spec = VenueSpec.Parse("binance-testnet?rest=http://127.0.0.1:9/&ws_api=ws://127.0.0.1:9/ws-api/v3&key_file=/k");
        Assert.Equal((VenueKind.Binance, true, "BINANCE-TESTNET", "/k"), (spec.Kind, spec.Testnet, spec.DisplayName, spec.KeyFile));
        Assert.Equal("venue 'binance?ws_api=http://x': ws_api needs an absolute ws or wss URL, got 'http://x'", Assert.Throws<FormatException>(() => VenueSpec.Parse("binance?ws_api=http://x")).Message);
        var policy = CroweLogic.Flow.Contracts.Policy.PolicyLoader.Load(Path.Combine(SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml"));
        var e = Assert.Throws<ArgumentException>(() => CroweLogic.Flow.Gateways.Venue.ExecutionVenues.Open(VenueSpec.Parse("binance"), policy, true, new Names()));
        Assert.Equal("venue binance: Binance trades a real account on the wall clock; a replay over history cannot send it orders (use flow live, or --venue sim to paper trade)", e.Message);
    }

    /// <summary>The IDs Binance would refuse become a stable 33-character hash.</summary>
    [Fact]
    public void Client_order_ids_binance_refuses_map_to_a_stable_hash()
    {
        Assert.Equal("run-1:o/2_x.y", BinanceSpotExecutionClient.VenueId("run-1:o/2_x.y"));
        var mapped = BinanceSpotExecutionClient.VenueId("a lane id with spaces and more than thirty-six characters");
        Assert.Equal(33, mapped.Length);
        Assert.Equal(mapped, BinanceSpotExecutionClient.VenueId("a lane id with spaces and more than thirty-six characters"));
    }

    private sealed class Names : IInstrumentNames
    {
        public string Name(int id) => "BTCUSDT";
    }

    private sealed class Events : IExecutionEvents
    {
        public ConcurrentQueue<ExecutionReport> Reports { get; } = new();
        public ConcurrentQueue<OrderCancelRejected> CancelRejects { get; } = new();
        public ConcurrentQueue<(bool Connected, string Reason)> Connections { get; } = new();

        public void OnReport(ExecutionReport report) => Reports.Enqueue(report);
        public void OnCancelRejected(OrderCancelRejected reject) => CancelRejects.Enqueue(reject);
        public void OnFillCost(FillCost cost) { }
        public void OnChildOrder(Order child) { }
        public void OnConnection(bool connected, string reason) => Connections.Enqueue((connected, reason));

        public async Task WaitAsync(Func<bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!done())
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"timed out waiting for {what}; reports: {string.Join(" | ", Reports.Select(r => $"{r.OrderId} {r.ExecType} {r.Status} {r.LastQty} {r.Text}"))}; connections: {string.Join(" | ", Connections.Select(c => c.Reason))}");
                await Task.Delay(20);
            }
        }
    }
}
