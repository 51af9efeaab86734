using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Cli.Live;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Host.Live;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow bench live</c>: <c>flow live</c> as it runs, measured — the simulated exchange fed a synthetic order flow at
/// <c>--rate</c> events a second, its market data over FIX to the lane on the wall clock, orders back over FIX. Reports
/// what the lane received per second against what was offered, data freshness (exchange time → lane) and tick-to-order
/// (wire receive → order leaving the router), p50 and p99, against the blueprint's SLOs (freshness &lt; 200 ms, signal
/// &lt; 20 ms). The first seconds are the JIT's; their samples are kept in the totals but the percentiles are over the
/// session's recent events.
/// </summary>
internal static class LiveBench
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "Length of the session", DefaultValueFactory = _ => 20 };
        var market = new SimulatedMarketOptions();
        var command = new Command("live", "flow live against the simulated exchange over FIX at a synthetic rate: events/s delivered, freshness and tick-to-order p50/p99") { seconds };
        market.AddTo(command);
        market.Rate.DefaultValueFactory = _ => 100_000;
        market.Instruments.DefaultValueFactory = _ => 50;
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var names = market.Symbols(parse, null);
            var options = new LiveSessionOptions(LaneBench.Policy(), new FeedSpec(FeedKind.Simulated), null, names)
            {
                Duration = TimeSpan.FromSeconds(Math.Max(5, parse.GetValue(seconds))),
                SimulatedMarket = market.Feeder(parse, names),
                StatusEvery = TimeSpan.FromSeconds(5),
            };
            AnsiConsole.MarkupLine($"[bold]flow bench live[/] · {Markup.Escape(market.Describe(parse, names))} · {options.Duration!.Value.TotalSeconds:0} s · {Environment.ProcessorCount} cores");
            var result = await LiveSession.RunAsync(options, status => Console.Error.WriteLine(status), ct);
            double Q(double q) => LatencySamples.Nearest(result.TickToOrderNanos, q) / 1e6;
            var offered = parse.GetValue(market.Rate) * parse.GetValue(market.Speed);
            var delivered = result.Lane.Events / result.Final.Elapsed.TotalSeconds;
            var table = new Table().AddColumns("measure", "value", "target");
            table.AddRow("events offered by the venue", $"{offered:N0}/s", "");
            table.AddRow("events delivered to the lane", $"{delivered:N0}/s ({result.Lane.Events:N0})", $"{offered:N0}/s");
            table.AddRow("freshness p50 / p99 (exchange time → lane)", F($"{result.Final.FreshnessP50Ms:0.###} / {result.Final.FreshnessP99Ms:0.###} ms"), "p99 < 200 ms");
            table.AddRow("tick-to-order p50 / p99 (wire receive → order routed)", F($"{Q(0.5):0.###} / {Q(0.99):0.###} ms over {result.TickToOrderNanos.Count:N0} orders"), "p99 < 20 ms");
            table.AddRow("fills, feed gaps, working orders left", F($"{result.Final.Fills:N0}, {result.Final.Gaps}, {result.WorkingAtVenue?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}"), "-, 0, 0");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
