using System.Globalization;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// The §9.5 trailing stop in the lane on the real S&amp;P 500 daily set through 2007-06…2009-06, with the shipped
/// <c>momentum_trailing_stop</c> policy: the stop fires (measured: 2008-07-22, 2008-12-09, 2009-03-17, 2009-04-17), each
/// time with equity beyond its band below the peak, and in the cooldown that follows no order is sent but the ones that
/// close the book.
/// </summary>
public class TrailingStopBacktestTests
{
    [Fact]
    public async Task The_trailing_stop_flattens_through_2008_and_holds_the_book_flat_for_its_cooldown()
    {
        using var flow = new FlowProcess();
        var (ingested, _, ingestError) = await flow.RunAsync("ingest", Path.Combine(SharedPaths.Data, "sp500-daily", "daily_adjusted.tar.xz"));
        Assert.True(ingested == 0, ingestError);
        var policy = Path.Combine(SharedPaths.RepositoryRoot, "deploy", "policies", "momentum_trailing_stop.yaml");
        var (exit, output, error) = await flow.RunAsync("backtest", "--policy", policy, "--from", "2007-06-01", "--to", "2009-07-01", "--no-walk-forward");
        Assert.True(exit == 0, error + output);

        var stops = await flow.CsvAsync("SELECT toString(ts), startsWith(message, 'trailing stop: equity') FROM risk_events WHERE policy_id = 'momentum_trailing_stop' AND kind = 'trailing_stop' ORDER BY ts");
        Assert.True(stops.Count >= 2, $"{stops.Count} trailing stops through 2008");
        Assert.Contains(stops, s => s[0].StartsWith("2008-", StringComparison.Ordinal));
        foreach (var stop in stops)
        {
            Assert.Equal("1", stop[1]);
            // Ten sessions flat: within the next 12 calendar days only the flattening trades.
            var opened = await flow.CsvAsync($"SELECT count() FROM orders WHERE policy_id = 'momentum_trailing_stop' AND ts > toDateTime64('{stop[0]}', 9, 'UTC') AND ts < toDateTime64('{stop[0]}', 9, 'UTC') + INTERVAL 12 DAY AND NOT arrayExists(r -> r LIKE '%trailing stop: equity%', reasons)");
            Assert.Equal("0", opened[0][0]);
        }
    }
}
