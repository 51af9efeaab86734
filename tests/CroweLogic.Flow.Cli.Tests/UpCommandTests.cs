using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Server;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow up</c> as users meet it: one process on the data directory, every other command and ClickHouse client its client at once.</summary>
public class UpCommandTests
{
    private static async Task<int> Stop(Process up)
    {
        Process.Start("kill", ["-TERM", up.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await up.WaitForExitAsync(timeout.Token);
        return up.ExitCode;
    }

    [Fact]
    public async Task Every_command_and_ClickHouse_client_shares_the_running_platform_and_works_alone_after_it_stops()
    {
        using var flow = new FlowProcess();
        using var up = flow.Start("up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0");
        var platform = await flow.WaitForPlatformAsync(up);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PlatformFile.PathIn(flow.DataDir)));

        // Commands, a driver and a bare HTTP client at once: none is refused for the store being held.
        var trades = SharedPaths.LeanTick("ibm", "20131007_trade.zip");
        var ingest = flow.RunAsync("ingest", trades);
        var sql = flow.RunAsync("sql", "SELECT count() FROM system.tables WHERE database = 'default'", "--format", "csv");
        var info = flow.RunAsync("db", "info");
        using var driver = await ClickHouseServerStore.ConnectAsync(platform.ClientUrl);
        var driven = driver.QueryFormattedAsync("SELECT 40 + 2", "TabSeparated");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{platform.User}:{platform.Token}")));
        var curl = http.GetStringAsync($"{platform.ClickHouseHttp}?query=SELECT%201");
        foreach (var (name, run) in new[] { ("ingest", ingest), ("sql", sql), ("db info", info) })
        {
            var (exit, stdout, stderr) = await run;
            Assert.True(exit == 0, $"flow {name} exited {exit}: {stderr}{stdout}");
        }
        Assert.Contains($"flow up (pid {platform.Pid})", (await info).Out);
        Assert.Equal("42\n", Encoding.UTF8.GetString(await driven));
        Assert.Equal("1\n", await curl);
        var (_, counted, _) = await flow.RunAsync("sql", "SELECT count() FROM trades", "--format", "csv");
        Assert.Equal("\"count()\"\n24293\n", counted);

        // Prometheus sees the interface's requests, by status and user.
        var metrics = await http.GetStringAsync(platform.Metrics);
        var served = metrics.Split('\n').Where(l => l.StartsWith("flow_sql_http_requests_total{", StringComparison.Ordinal) && l.Contains("user=\"local\"", StringComparison.Ordinal) && l.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal)).ToList();
        Assert.True(served.Count == 1 && double.Parse(served[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 5, string.Join('\n', metrics.Split('\n').Where(l => l.Contains("sql_http", StringComparison.Ordinal))));

        // A second platform on the directory names the first and refuses.
        var (second, _, refused) = await flow.RunAsync("up", "--http-port", "0", "--flight-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0");
        Assert.Equal(4, second);
        Assert.Contains($"flow up already runs on {flow.DataDir}: pid {platform.Pid}", refused);

        // SIGTERM: it stops cleanly, withdraws its announcement, and commands open the store themselves again.
        Assert.Equal(0, await Stop(up));
        Assert.Null(PlatformFile.Read(flow.DataDir));
        var (alone, after, _) = await flow.RunAsync("sql", "SELECT count() FROM trades", "--format", "csv");
        Assert.Equal((0, "\"count()\"\n24293\n"), (alone, after));
    }

    [Fact]
    public async Task Kill_9_of_the_platform_during_an_ingest_loses_and_duplicates_nothing_after_a_restart()
    {
        var folder = Path.Combine(SharedPaths.Data, "lean", "Data", "equity", "usa", "tick", "aig");
        const string counts = "SELECT (SELECT count() FROM trades), (SELECT count() FROM quotes), (SELECT count() FROM rejects), (SELECT count() FROM ingest_batches)";
        using var reference = new FlowProcess();
        Assert.Equal(0, (await reference.RunAsync("ingest", folder)).Exit);
        var expected = (await reference.RunAsync("sql", counts, "--format", "csv")).Out;

        using var flow = new FlowProcess();
        using (var up = flow.Start("up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0"))
        {
            var platform = await flow.WaitForPlatformAsync(up);
            using var ingest = flow.Start("ingest", folder);
            // Kill the platform once the client is into the third file.
            while (await ingest.StandardError.ReadLineAsync() is { } line && !line.Contains("[2/10]", StringComparison.Ordinal)) { }
            await Task.Delay(300);
            up.Kill();
            await up.WaitForExitAsync();
            var said = await ingest.StandardError.ReadToEndAsync();
            await ingest.WaitForExitAsync();
            Assert.Equal(4, ingest.ExitCode);
            Assert.Contains($"flow: error: flow up (pid {platform.Pid}) at {platform.ClickHouseHttp} did not answer", said);
            Assert.Equal(platform.Pid, PlatformFile.Read(flow.DataDir)!.Pid); // left behind, stale
        }
        using var restarted = flow.Start("up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0");
        var again = await flow.WaitForPlatformAsync(restarted);
        Assert.Equal(restarted.Id, again.Pid);
        var (exit, report, err) = await flow.RunAsync("ingest", folder);
        Assert.True(exit == 0, err);
        Assert.Contains("already loaded", report);
        Assert.Equal(expected, (await flow.RunAsync("sql", counts, "--format", "csv")).Out);
        Assert.Equal(0, await Stop(restarted));
    }
}
