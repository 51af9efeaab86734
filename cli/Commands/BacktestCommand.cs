using CroweLogic.Flow.Contracts.Execution;
using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Cli.Backtest;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow backtest</c>: the live lane's graph over history from the store, with the simulated venue and clock;
/// <c>flow paper</c>: the same graph and venue on that history replayed in real time on a replay clock.
/// </summary>
internal static class BacktestCommand
{
    /// <summary>The <c>backtest</c> and <c>paper</c> commands (one runner: paper is a backtest paced in real time).</summary>
    public static Command[] Create()
    {
        var strategy = new Option<string>("--strategy") { Description = $"Baseline: {string.Join(", ", BaselinePolicies.Names)}", DefaultValueFactory = _ => "momentum" };
        strategy.AcceptOnlyFromAmong(BaselinePolicies.Names);
        var policy = new Option<string?>("--policy") { Description = "A policy file (YAML, blueprint Appendix A with strategy/compliance/costs sections) instead of a baseline" };
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd)" };
        var to = new Option<string?>("--to") { Description = "Day after the last (yyyy-MM-dd)" };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated instruments (default: all)" };
        var noWalk = new Option<bool>("--no-walk-forward") { Description = "Run the policy's parameters only (daily bars walk forward over a lookback grid by default)" };
        var noWrite = new Option<bool>("--no-write") { Description = "Do not write orders, executions, PnL, risk events, audit entries and KPIs to the store" };
        var venue = new Option<string?>("--venue") { Description = $"What the lane trades against: {VenueSpec.Forms} (default: the policy's execution.venue, else replay)" };
        var command = new Command("backtest", "Run a strategy through the lane graph over history in the store and print its KPIs") { strategy, policy, from, to, symbols, noWalk, noWrite, venue };
        command.SetAction((parse, ct) => Run(parse, null, ct));
        var speed = new Option<double>("--speed") { Description = "Event time per wall time: 1 is real time, 390 replays a 6.5-hour session in a minute", DefaultValueFactory = _ => 1 };
        var paper = new Command("paper", "Paper trading: the same lane graph on the store's history replayed in real time (scaled by --speed) on a replay clock, with live staleness limits") { strategy, policy, from, to, symbols, noWrite, speed, venue };
        paper.SetAction((parse, ct) => Run(parse, parse.GetValue(speed), ct));
        return [command, paper];

        Task<int> Run(ParseResult parse, double? pace, CancellationToken ct) => CliErrors.Guard(async () =>
        {
            var chosen = parse.GetValue(policy) is { } path ? PolicyLoader.Load(path) : BaselinePolicies.Load(parse.GetValue(strategy)!);
            var shape = chosen.StrategyOrDefault.Model == StrategyModels.QuoteImbalance ? MarketShape.Ticks : MarketShape.Bars;
            if (pace is { } p && !(p > 0 && double.IsFinite(p))) throw new ArgumentException($"--speed must be a positive number, got {p}");
            VenueSpec? spec;
            try
            {
                spec = parse.GetValue(venue) is { } v ? VenueSpec.Parse(v) : null;
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"--{e.Message}");
            }
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            await BacktestReport.RunAsync(store, chosen, new BacktestReport.Options(shape, OptionValues.Date(parse.GetValue(from), "--from"), OptionValues.Date(parse.GetValue(to), "--to"),
                OptionValues.List(parse.GetValue(symbols)), pace is null && !parse.GetValue(noWalk), !parse.GetValue(noWrite), pace, spec), ct);
            return 0;
        });
    }
}
