using System.Globalization;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// The crash sentinel of §17.3 in the lane on the real S&amp;P 500 daily set: through the autumn of 2008 and the spring of
/// 2020 its score (the market's variance, lag-1 autocorrelation and a turbulence basket, z-scored against their last
/// 250 sessions, after a year to warm up) crosses ζ_hi first — the overlays halve the book — and then ζ_kill within
/// the crash (measured: 2008-09-19 and 2020-02-27): the book is flattened, the kill switch is raised, and no order
/// follows but the flattening.
/// </summary>
public class CrashSentinelTests
{
    [Fact]
    public async Task The_sentinel_halves_exposure_then_flattens_with_the_kill_switch_in_2008_and_2020()
    {
        using var flow = new FlowProcess();
        var (ingested, _, ingestError) = await flow.RunAsync("ingest", Path.Combine(SharedPaths.Data, "sp500-daily", "daily_adjusted.tar.xz"));
        Assert.True(ingested == 0, ingestError);
        var policy = Path.Combine(flow.DataDir, "sentinel.yaml");
        File.WriteAllText(policy, File.ReadAllText(Path.Combine(SharedPaths.RepositoryRoot, "deploy", "policies", "momentum_sentinel.yaml")));

        foreach (var (from, to, killFrom, killTo) in new[] { ("2006-09-01", "2009-03-01", "2008-09-01", "2008-12-01"), ("2018-06-01", "2020-07-01", "2020-02-20", "2020-04-15") })
        {
            var (exit, output, error) = await flow.RunAsync("backtest", "--policy", policy, "--from", from, "--to", to, "--no-walk-forward");
            Assert.True(exit == 0, error + output);
            var window = $"ts >= toDateTime64('{from}', 9, 'UTC') AND ts < toDateTime64('{to}', 9, 'UTC') AND policy_id = 'momentum_sentinel'";
            var halve = await First($"SELECT toString(min(ts)) FROM risk_events WHERE {window} AND kind = 'crash_sentinel' AND severity = 'breach'");
            var kill = await First($"SELECT toString(min(ts)) FROM risk_events WHERE {window} AND kind = 'crash_sentinel' AND severity = 'critical'");
            Assert.True(string.CompareOrdinal(kill, killFrom) >= 0 && string.CompareOrdinal(kill, killTo) < 0, $"{from}…{to}: the first ζ_kill came at {kill}, outside {killFrom}…{killTo}");
            Assert.True(string.CompareOrdinal(halve, kill) < 0, $"{from}…{to}: ζ_hi first crossed at {halve}, not before ζ_kill at {kill}");

            // ζ_hi: the overlays re-scaled the book that session at a cut budget, the orders saying why (the sentinel's half,
            // times any other model's cut at the same time).
            var halved = await First($"SELECT count() FROM orders WHERE {window} AND toDate(ts) = toDate(toDateTime64('{halve}', 9, 'UTC')) AND arrayExists(r -> r LIKE '%regime budget%' AND r LIKE '%crash sentinel: exposure halved%', reasons)");
            Assert.True(long.Parse(halved, CultureInfo.InvariantCulture) > 0, $"no order at {halve} carries the halved budget");
            // ζ_kill: the overlays' kill switch at the same time, then nothing but the flattening.
            var switched = await First($"SELECT count() FROM risk_events WHERE {window} AND source = 'risk_overlays' AND kind = 'kill_switch' AND ts = toDateTime64('{kill}', 9, 'UTC') AND message LIKE 'kill switch: regime: crash sentinel above%'");
            Assert.Equal("1", switched);
            var after = await First($"SELECT count() FROM orders WHERE {window} AND ts > toDateTime64('{kill}', 9, 'UTC') AND NOT arrayExists(r -> r LIKE 'overlay: flat (kill switch%' OR r LIKE 'overlay: kill switch%', reasons)");
            Assert.Equal("0", after);
        }

        async Task<string> First(string sql)
        {
            var (exit, output, error) = await flow.RunAsync("sql", sql, "--format", "csv");
            Assert.True(exit == 0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim('"');
        }
    }
}
