using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Cli.Live;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Host.Live;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow live</c>: the lane graph on the wall clock against a live feed and venue, with a status line; Ctrl+C (or
/// <c>--duration</c>) cancels the working orders at the venue and stops cleanly.
/// </summary>
internal static class LiveCommand
{
    public static Command Create()
    {
        var strategy = new Option<string>("--strategy") { Description = $"Baseline: {string.Join(", ", BaselinePolicies.Names)}", DefaultValueFactory = _ => "quote-imbalance" };
        strategy.AcceptOnlyFromAmong(BaselinePolicies.Names);
        var policy = new Option<string?>("--policy") { Description = "A policy file (YAML) instead of a baseline" };
        var feed = new Option<string>("--feed") { Description = $"Market data: {FeedSpec.Forms}", DefaultValueFactory = _ => "sim" };
        var venue = new Option<string?>("--venue") { Description = $"Where orders go: {VenueSpec.Forms} (default: the feed's own venue)" };
        var symbols = new Option<string?>("--symbols") { Description = "Instruments to subscribe to, comma-separated (--feed sim: default every synthetic instrument)" };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C)" };
        var staleAfter = new Option<double>("--stale-after") { Description = "Seconds the feed may be silent before that is a gap", DefaultValueFactory = _ => 5 };
        var statusEvery = new Option<double>("--status-every") { Description = "Seconds between status lines", DefaultValueFactory = _ => 1 };
        var noWrite = new Option<bool>("--no-write") { Description = "Do not write the session's orders, executions, PnL, risk events and quarantined rows to the store" };
        var market = new SimulatedMarketOptions();
        var command = new Command("live", "Run the lane on the wall clock against a live feed and venue, with a status line; Ctrl+C cancels working orders and stops")
        {
            strategy, policy, feed, venue, symbols, duration, staleAfter, statusEvery, noWrite,
        };
        market.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var chosen = parse.GetValue(policy) is { } path ? PolicyLoader.Load(path) : BaselinePolicies.Load(parse.GetValue(strategy)!);
            FeedSpec feedSpec;
            VenueSpec? venueSpec;
            try
            {
                feedSpec = FeedSpec.Parse(parse.GetValue(feed)!);
                venueSpec = parse.GetValue(venue) is { } v ? VenueSpec.Parse(v) : null;
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"--{e.Message}");
            }
            var given = OptionValues.List(parse.GetValue(symbols));
            IReadOnlyList<string> names = feedSpec.Kind == FeedKind.Simulated ? market.Symbols(parse, given)
                : given is { Length: > 0 } ? given : throw new ArgumentException($"--feed {feedSpec} needs --symbols (the instruments to subscribe to)");
            if (parse.GetValue(duration) is { } d && !(d > 0)) throw new ArgumentException($"--duration must be a positive number of seconds, got {d}");
            var store = parse.GetValue(noWrite) ? null : await GlobalOptions.OpenStoreAsync(parse, ct);
            try
            {
                var options = new LiveSessionOptions(chosen, feedSpec, venueSpec, names)
                {
                    StaleAfter = TimeSpan.FromSeconds(parse.GetValue(staleAfter)),
                    StatusEvery = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(statusEvery))),
                    Duration = parse.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    SimulatedMarket = feedSpec.Kind == FeedKind.Simulated ? market.Feeder(parse, names) : null,
                    Store = store,
                };
                Console.WriteLine($"live {options.RunId}: policy {chosen.Id}, feed {feedSpec}{(feedSpec.Kind == FeedKind.Simulated ? $" ({market.Describe(parse, names)})" : "")}, venue {venueSpec?.ToString() ?? (feedSpec.Kind switch { FeedKind.Fix => "the feed's FIX acceptor", FeedKind.Simulated => "the simulated exchange over FIX", _ => "sim (paper; name --venue binance or binance-testnet to trade the account)" })}, {names.Count} instruments (Ctrl+C to stop)");
                var result = await LiveSession.RunAsync(options, line => Console.WriteLine(line), ct);
                return LiveSummary.Print(result, "");
            }
            finally
            {
                store?.Dispose();
            }
        }));
        return command;
    }
}
