using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// Sector, issuer and stress limits in the lane, on the real S&amp;P 500 daily set through 2006-06…2009: the shipped
/// robust_mvo policy (sector 10 %, issuer 5 %, stress 10 % on 2008-10, 2020-03 and the flash crash) writes the limits'
/// risk events and orders whose reasons name them, <c>flow stress</c> reports no rebalance above the limit in a scenario
/// it lists, a policy without a stress limit is measured only, and a store without the scenario's bars is refused with
/// what to load.
/// </summary>
public class StressCommandTests
{
    [Fact]
    public async Task The_limits_bind_in_the_lane_and_flow_stress_reports_the_book_within_them()
    {
        using var flow = new FlowProcess();
        var shipped = Path.Combine(SharedPaths.RepositoryRoot, "deploy", "policies", "momentum_robust_mvo.yaml");

        // Before any data: the scenario cannot be measured, and the command says what to load.
        var (missing, missingOut, missingError) = await flow.RunAsync("stress", "--policy", shipped, "--scenario", "2008-10");
        Assert.True(missing != 0, missingOut);
        Assert.Contains("stress scenario 2008-10 needs daily bars from 2008-09-30 through 2008-10-31 in bars_1d, and the store has none: ingest the S&P 500 daily set", missingError, StringComparison.Ordinal);

        var (ingested, _, ingestError) = await flow.RunAsync("ingest", Path.Combine(SharedPaths.Data, "sp500-daily", "daily_adjusted.tar.xz"));
        Assert.True(ingested == 0, ingestError);
        string[] range = ["--from", "2006-06-01", "--to", "2009-01-01"];

        var (exit, output, error) = await flow.RunAsync(["stress", "--policy", shipped, "--scenario", "2008-10", .. range]);
        Assert.True(exit == 0, error + output);
        Assert.Contains("stress limit 10.00 %;", output, StringComparison.Ordinal);
        var trims = Regex.Match(output, @"would have exceeded it ([\d,]+) times \(([\d,]+) in 2008-10\)");
        Assert.True(trims.Success, output);
        Assert.True(int.Parse(trims.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, output);
        var worst = Regex.Matches(output, @"│ (\d{4}-\d\d-\d\d) │\s+(-?[\d.]+) % │").Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, worst.Count);
        Assert.All(worst, loss => Assert.True(loss <= 10.00, $"a rebalance loses {loss} % in 2008-10, above the 10 % limit:\n{output}"));
        Assert.Contains("last book's loss by sector", output, StringComparison.Ordinal);

        // The same policy's backtest writes the limits' events, and the orders carry why the book was scaled.
        var (backtest, backtestOut, backtestError) = await flow.RunAsync(["backtest", "--policy", shipped, "--no-walk-forward", .. range]);
        Assert.True(backtest == 0, backtestError + backtestOut);
        var kinds = await flow.CsvAsync("SELECT kind, count() FROM risk_events WHERE policy_id = 'momentum_robust_mvo' AND kind IN ('sector_limit', 'stress_limit') GROUP BY kind ORDER BY kind");
        Assert.Equal(["sector_limit", "stress_limit"], kinds.Select(r => r[0]));
        var reasons = await flow.CsvAsync("SELECT count() FROM orders WHERE policy_id = 'momentum_robust_mvo' AND arrayExists(r -> r LIKE '%in stress scenario%above 0.1: scaled down%', reasons)");
        Assert.True(long.Parse(reasons[0][0], CultureInfo.InvariantCulture) > 0, "no order names the stress limit");

        // Without a stress limit the scenario is measured on the policy's own book, and nothing is scaled for it.
        var plain = Path.Combine(flow.DataDir, "plain.yaml");
        File.WriteAllText(plain, string.Join('\n', File.ReadAllLines(shipped).Where(l => !l.TrimStart().StartsWith("stress_", StringComparison.Ordinal))));
        var (measured, measuredOut, measuredError) = await flow.RunAsync(["stress", "--policy", plain, "--scenario", "flash_crash", .. range]);
        Assert.True(measured == 0, measuredError + measuredOut);
        Assert.Contains("stress limit none (risk.stress_limit not set: measured only); at the volatility target's scale the book would have exceeded it 0 times", measuredOut, StringComparison.Ordinal);
    }
}
