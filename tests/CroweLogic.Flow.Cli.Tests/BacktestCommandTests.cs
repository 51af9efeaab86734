using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow backtest</c> on real LEAN ticks loaded into a private store.</summary>
public class BacktestCommandTests
{
    [Fact]
    public async Task A_tick_backtest_feeds_every_stored_trade_and_quote_through_the_lane_once_and_in_order()
    {
        using var flow = new FlowProcess();
        foreach (var day in new[] { "20131007", "20131008" })
        {
            foreach (var kind in new[] { "trade", "quote" })
            {
                var ingest = await flow.RunAsync("ingest", SharedPaths.LeanTick("ibm", $"{day}_{kind}.zip"));
                Assert.True(ingest.Exit == 0, ingest.Err);
            }
        }
        var stored = long.Parse((await flow.RunAsync("sql", "SELECT (SELECT count() FROM trades) + (SELECT count() FROM quotes)", "--format", "csv")).Out.Split('\n')[1], CultureInfo.InvariantCulture);
        Assert.True(stored > 100_000, $"only {stored} ticks were stored");

        var (exit, output, error) = await flow.RunAsync("backtest", "--strategy", "quote-imbalance", "--no-write");

        Assert.True(exit == 0, error);
        // Two days of trades and quotes merged per day from key-ordered reads: a lost, repeated or misordered tick would
        // change the count or be quarantined by clean-align as a duplicate or out of order.
        var line = Regex.Match(output.Replace("\n", " "), @"([\d,]+) events through \d+ blocks.*?([\d,]+) orders.*?([\d,]+) quarantined");
        Assert.True(line.Success, output);
        Assert.Equal(stored, long.Parse(line.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        Assert.Equal("0", line.Groups[3].Value);
        Assert.NotEqual("0", line.Groups[2].Value);
    }
}
