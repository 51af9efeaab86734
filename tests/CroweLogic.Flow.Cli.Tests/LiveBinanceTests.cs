using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Gateways.Tests;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// <c>flow live --feed binance --venue binance</c> end to end against a local Binance on 127.0.0.1: the depth stream
/// snapshot and trades in the venue's formats drive the lane, its orders go to the account over the signed REST API with the
/// key from a mode-600 file, fills come back on the user-data stream, and Ctrl+C leaves nothing working at the venue.
/// </summary>
public sealed partial class LiveBinanceTests(ITestOutputHelper log)
{
    [GeneratedRegex(@"stopped: (?<events>[\d,]+) events, (?<orders>[\d,]+) orders, (?<fills>[\d,]+) fills, .* working orders left at the venue: (?<left>\d+)")]
    private static partial Regex Stopped();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Flow_live_trades_a_binance_account_from_its_depth_stream_and_stops_with_no_working_orders()
    {
        using var flow = new FlowProcess();
        await using var server = await LocalBinanceServer.StartAsync();
        var keys = Path.Combine(flow.DataDir, "binance.keys");
        File.WriteAllText(keys, $"BINANCE_API_KEY={LocalBinanceServer.ApiKey}\nBINANCE_API_SECRET={LocalBinanceServer.Secret}\n");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var policy = Path.Combine(flow.DataDir, "fast.yaml");
        File.WriteAllText(policy, File.ReadAllText(Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml"))
            .Replace("rebalance_every: 60", "rebalance_every: 1", StringComparison.Ordinal).Replace("id: baseline_quote_imbalance", "id: live_binance_test", StringComparison.Ordinal));
        // A book ten levels deep each side around 64 000 USDT, snapshot at update id 1000.
        var bid = 6_399_999L;
        var levels = string.Join(',', Enumerable.Range(0, 10).Select(i => $"[\"{Px(bid - i)}\",\"1.00000000\"]"));
        var asks = string.Join(',', Enumerable.Range(0, 10).Select(i => $"[\"{Px(bid + 2 + i)}\",\"1.00000000\"]"));
        server.Rest(200, $"{{\"lastUpdateId\":1000,\"bids\":[{levels}],\"asks\":[{asks}]}}");
        server.Account.Touch = (bid / 100m, (bid + 2) / 100m);

        using var live = flow.Start("live", "--policy", policy, "--feed", $"binance?rest={server.Http}&stream={server.Ws}",
            "--venue", $"binance?rest={server.Http}&ws_api={server.WsApi}&key_file={keys}", "--symbols", "BTCUSDT", "--no-write", "--status-every", "2");
        var output = LiveSessionTests.Collect(live);
        await server.WaitForSubscriptionAsync(1);
        // 20 s of diff depth every 20 ms: the touch sizes change each event (the imbalance the policy reads) and the
        // touch walks a tick every few events (the mid returns it reverts on).
        var random = new Random(7);
        var update = 1000L;
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until && !live.HasExited)
        {
            var drift = random.Next(4) switch { 0 => -1, 1 => 1, _ => 0 };
            var b = new List<string>();
            var a = new List<string>();
            if (drift != 0)
            {
                b.Add($"[\"{Px(bid)}\",\"0.00000000\"]");
                a.Add($"[\"{Px(bid + 2)}\",\"0.00000000\"]");
                bid += drift;
            }
            b.Add($"[\"{Px(bid)}\",\"{random.Next(1, 500) / 100m:0.00000000}\"]");
            a.Add($"[\"{Px(bid + 2)}\",\"{random.Next(1, 500) / 100m:0.00000000}\"]");
            update++;
            server.Account.Touch = (bid / 100m, (bid + 2) / 100m);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // Trades too: the policy's IS algorithm takes at most a tenth of the market's volume.
            if (update % 3 == 0)
                await server.SendAsync($"{{\"stream\":\"btcusdt@trade\",\"data\":{{\"e\":\"trade\",\"E\":{now},\"s\":\"BTCUSDT\",\"t\":{update},\"p\":\"{Px(bid + 2 * random.Next(2))}\",\"q\":\"{random.Next(100, 5000) / 100m:0.00000000}\",\"T\":{now},\"m\":true,\"M\":true}}}}");
            await server.SendAsync($"{{\"stream\":\"btcusdt@depth@100ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":{now},\"s\":\"BTCUSDT\",\"U\":{update},\"u\":{update},\"b\":[{string.Join(',', b)}],\"a\":[{string.Join(',', a)}]}}}}");
            await Task.Delay(20);
        }
        LiveSessionTests.Interrupt(live);
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(45))) await live.WaitForExitAsync(exit.Token);
        live.WaitForExit();
        string[] lines;
        lock (output) lines = [.. output];
        var all = string.Join('\n', lines);
        Assert.True(live.ExitCode == 0, $"flow live exited {live.ExitCode}:\n{all}");
        var stopped = Stopped().Match(all);
        Assert.True(stopped.Success, all);
        log.WriteLine(stopped.Value);
        long Count(string group) => long.Parse(stopped.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.True(Count("orders") >= 3, all);
        Assert.True(Count("fills") >= 3, all + "\n" + string.Join("\n", server.Account.Requests));
        Assert.Equal(0, Count("left"));
        Assert.Equal(0, server.Account.Open);
        Assert.Contains(server.Account.Requests, r => r.StartsWith("POST /api/v3/order?symbol=BTCUSDT", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("stderr:", StringComparison.Ordinal));
        // The rebuilt book's first quote carries the stream's time, so no row behind it is out of order.
        Assert.DoesNotContain(lines, l => l.StartsWith("quarantined:", StringComparison.Ordinal));
        Assert.DoesNotContain(LocalBinanceServer.Secret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalBinanceServer.ApiKey, all, StringComparison.Ordinal);
    }

    private static string Px(long cents) => (cents / 100m).ToString("0.00000000", CultureInfo.InvariantCulture);
}
