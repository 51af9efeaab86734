using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// <c>flow live</c> against <c>flow sim-exchange</c>, two processes speaking FIX over TCP: market data from the venue's
/// synthetic order flow, orders and fills for 60 s, then Ctrl+C — the session cancels its working orders, the venue
/// confirms, and neither side has a working order left.
/// </summary>
public sealed partial class LiveSessionTests
{
    [GeneratedRegex(@"stopped: (?<events>[\d,]+) events, (?<orders>[\d,]+) orders, (?<fills>[\d,]+) fills, .* working orders left at the venue: (?<left>\d+)")]
    private static partial Regex Stopped();

    private static async Task<string> WaitForLineAsync(Process process, List<string> lines, Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (lines)
            {
                if (lines.FirstOrDefault(match) is { } line) return line;
            }
            if (process.HasExited) break;
            await Task.Delay(100);
        }
        lock (lines) Assert.Fail($"no {what} within {timeout.TotalSeconds} s (exited: {process.HasExited}); output:\n{string.Join('\n', lines.TakeLast(40))}");
        return "";
    }

    internal static List<string> Collect(Process process)
    {
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add(l); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add("stderr: " + l); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lines;
    }

    internal static void Interrupt(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    [Fact]
    public async Task Flow_live_trades_against_flow_sim_exchange_over_fix_for_60_s_and_stops_with_no_working_orders()
    {
        using var flow = new FlowProcess();
        var port = FlowProcess.FreePort();
        // The quote-imbalance baseline deciding every second instead of every minute, so 60 s carry many orders.
        var policy = Path.Combine(flow.DataDir, "fast.yaml");
        File.WriteAllText(policy, File.ReadAllText(Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml"))
            .Replace("rebalance_every: 60", "rebalance_every: 1", StringComparison.Ordinal).Replace("id: baseline_quote_imbalance", "id: live_test_quote_imbalance", StringComparison.Ordinal));
        using var venue = flow.Start("sim-exchange", "--port", port.ToString(CultureInfo.InvariantCulture), "--instruments", "4", "--rate", "2000", "--status-every", "1");
        var venueOut = Collect(venue);
        try
        {
            await WaitForLineAsync(venue, venueOut, l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "venue banner");
            using var live = flow.Start("live", "--policy", policy, "--feed", $"fix://127.0.0.1:{port}", "--symbols", "SYN0000,SYN0001,SYN0002,SYN0003", "--no-write", "--status-every", "5");
            var liveOut = Collect(live);
            await WaitForLineAsync(live, liveOut, l => l.StartsWith("live 00:", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "first status line");
            await Task.Delay(TimeSpan.FromSeconds(60));
            var before = await WaitForLineAsync(venue, venueOut, l => Regex.IsMatch(l, @"resting client orders [1-9]"), TimeSpan.FromSeconds(5), "a status line with resting client orders");
            Interrupt(live);
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(45))) await live.WaitForExitAsync(exit.Token);
            live.WaitForExit();
            string[] output;
            lock (liveOut) output = [.. liveOut];
            var all = string.Join('\n', output);
            Assert.True(live.ExitCode == 0, $"flow live exited {live.ExitCode}:\n{all}");
            var stopped = Stopped().Match(all);
            Assert.True(stopped.Success, all);
            long Count(string group) => long.Parse(stopped.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.True(Count("events") > 60 * 1000, all);
            Assert.True(Count("orders") > 10, all);
            Assert.True(Count("fills") > 10, all);
            Assert.Equal(0, Count("left"));
            Assert.DoesNotContain(output, l => l.StartsWith("stderr:", StringComparison.Ordinal));
            Assert.True(output.Count(l => l.StartsWith("live 00:", StringComparison.Ordinal)) >= 12, all);
            Assert.Contains(output, l => Regex.IsMatch(l, @"tick-to-order p99 \d"));

            // The venue's own view once the session has gone: no order of ours rests in its books.
            int index;
            lock (venueOut) index = venueOut.Count;
            await WaitForLineAsync(venue, venueOut, l => { lock (venueOut) return venueOut.IndexOf(l) >= index && l.Contains("| 0 sessions |", StringComparison.Ordinal); }, TimeSpan.FromSeconds(20), "venue status after the session");
            string last;
            lock (venueOut) last = venueOut.Last(l => l.StartsWith("sim-exchange 00:", StringComparison.Ordinal));
            Assert.Contains("resting client orders 0", last);
            Assert.Contains("resting client orders", before);
        }
        finally
        {
            Interrupt(venue);
            if (!venue.WaitForExit(20_000)) venue.Kill(entireProcessTree: true);
        }
        Assert.Equal(0, venue.ExitCode);
    }

    [Fact]
    public async Task A_live_session_killed_with_sigkill_has_already_written_its_orders_and_fills_to_the_store()
    {
        using var flow = new FlowProcess();
        var port = FlowProcess.FreePort();
        var policy = Path.Combine(flow.DataDir, "fast.yaml");
        File.WriteAllText(policy, File.ReadAllText(Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml"))
            .Replace("rebalance_every: 60", "rebalance_every: 1", StringComparison.Ordinal).Replace("id: baseline_quote_imbalance", "id: live_kill_test", StringComparison.Ordinal));
        using var venue = flow.Start("sim-exchange", "--port", port.ToString(CultureInfo.InvariantCulture), "--instruments", "4", "--rate", "2000", "--status-every", "1");
        var venueOut = Collect(venue);
        try
        {
            await WaitForLineAsync(venue, venueOut, l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "venue banner");
            using var live = flow.Start("live", "--policy", policy, "--feed", $"fix://127.0.0.1:{port}", "--symbols", "SYN0000,SYN0001,SYN0002,SYN0003", "--status-every", "1");
            var liveOut = Collect(live);
            var line = await WaitForLineAsync(live, liveOut, l => Regex.IsMatch(l, @"orders \d+ sent, \d+ open, [1-9][\d,]* fills"), TimeSpan.FromSeconds(90), "a status line with fills");
            // Past the next flush (every second), then no chance to clean up.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            live.Kill();
            live.WaitForExit();
            var (exit, output, error) = await flow.RunAsync("sql", "SELECT (SELECT count() FROM orders), (SELECT countIf(last_qty > 0) FROM executions), (SELECT count() FROM audit_log WHERE action = 'order')", "--format", "csv");
            Assert.True(exit == 0, error);
            var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',').Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            var fills = long.Parse(Regex.Match(line, @"open, (?<f>[\d,]+) fills").Groups["f"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            Assert.True(counts[0] > 0 && counts[1] >= fills && counts[2] > 0, $"orders {counts[0]}, fills {counts[1]} (the status line showed {fills}), audited orders {counts[2]}: {line}");
        }
        finally
        {
            Interrupt(venue);
            if (!venue.WaitForExit(20_000)) venue.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_live_lane_inside_flow_up_trades_while_flow_sql_reads_its_orders_and_ctrl_c_leaves_nothing_working()
    {
        using var flow = new FlowProcess();
        var port = FlowProcess.FreePort();
        var policy = Path.Combine(flow.DataDir, "fast.yaml");
        File.WriteAllText(policy, File.ReadAllText(Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml"))
            .Replace("rebalance_every: 60", "rebalance_every: 1", StringComparison.Ordinal).Replace("id: baseline_quote_imbalance", "id: live_up_test", StringComparison.Ordinal));
        using var venue = flow.Start("sim-exchange", "--port", port.ToString(CultureInfo.InvariantCulture), "--instruments", "4", "--rate", "2000", "--status-every", "1");
        var venueOut = Collect(venue);
        try
        {
            await WaitForLineAsync(venue, venueOut, l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "venue banner");
            using var up = flow.Start("up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0", "--no-workers",
                "--live-policy", policy, "--live-feed", $"fix://127.0.0.1:{port}", "--live-symbols", "SYN0000,SYN0001,SYN0002,SYN0003", "--live-status-every", "1");
            var upOut = Collect(up);
            await WaitForLineAsync(up, upOut, l => l.StartsWith("  live lane", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "the live lane in the banner");
            await WaitForLineAsync(up, upOut, l => Regex.IsMatch(l, @"^live .* [1-9][\d,]* fills"), TimeSpan.FromSeconds(90), "a status line with fills");
            var platform = Storage.PlatformFile.Read(flow.DataDir)!;
            Assert.Equal(up.Id, platform.Pid);
            // Another client of the same platform reads the lane's orders while it trades.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var (exit, output, error) = await flow.RunAsync("sql", "SELECT count() FROM orders WHERE policy_id = 'live_up_test'", "--format", "csv");
            Assert.True(exit == 0, error);
            Assert.True(long.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) > 0, output);
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(platform.Metrics);
            Assert.Contains("lane_orders", metrics);
            // Ctrl+C (SIGTERM's path is UpCommandTests'): the lane cancels its orders, then the platform stops.
            Interrupt(up);
            using (var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await up.WaitForExitAsync(exitWait.Token);
            up.WaitForExit();
            string all;
            lock (upOut) all = string.Join('\n', upOut);
            Assert.True(up.ExitCode == 0, $"flow up exited {up.ExitCode}:\n{all}");
            var stopped = Stopped().Match(all);
            Assert.True(stopped.Success, all);
            Assert.Equal("0", stopped.Groups["left"].Value);
            Assert.DoesNotContain("stderr: flow: error", all, StringComparison.Ordinal);
        }
        finally
        {
            Interrupt(venue);
            if (!venue.WaitForExit(20_000)) venue.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--live-feed", "fix://127.0.0.1:1" }, "--live-feed, --live-venue and --live-symbols describe a live lane: name its policy with --live-policy")]
    [InlineData(new[] { "--live-policy", "POLICY", "--live-symbols", "A" }, "--live-policy needs --live-feed (the lane's market data)")]
    [InlineData(new[] { "--live-policy", "POLICY", "--live-feed", "sim", "--live-symbols", "A" }, "--live-feed sim: the platform trades real feeds; run the simulated exchange as its own venue (flow sim-exchange --port P) and use --live-feed fix://127.0.0.1:P")]
    [InlineData(new[] { "--live-policy", "POLICY", "--live-feed", "fix://127.0.0.1:1" }, "--live-policy needs --live-symbols (the instruments to subscribe to)")]
    public async Task Flow_up_refuses_a_live_lane_it_cannot_run_before_it_starts(string[] args, string expected)
    {
        using var flow = new FlowProcess();
        var policy = Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies", "quote_imbalance.yaml");
        var (exit, _, error) = await flow.RunAsync(["up", "--no-workers", .. args.Select(a => a == "POLICY" ? policy : a)]);
        Assert.Equal(2, exit);
        Assert.Contains($"flow: error: {expected}", error);
        Assert.Null(Storage.PlatformFile.Read(flow.DataDir));
    }
}
