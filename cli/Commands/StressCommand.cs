using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Risk;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Storage.Risk;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow stress --policy FILE --scenario NAME</c>: the policy's lane over history, with the scenario measured on the
/// book the overlays set at every rebalance (the same pre-trade check <c>risk.stress_limit</c> enforces); prints the
/// scenario, the worst rebalances, how often the limit scaled the book down, and the last book (as compliance approved
/// it) with its loss by sector and name.
/// </summary>
internal static class StressCommand
{
    public static Command Create()
    {
        var policy = new Option<string>("--policy") { Description = "A policy file (YAML)", Required = true };
        var scenario = new Option<string>("--scenario") { Description = $"Stress scenario: {string.Join(", ", StressScenarioNames.All)}", Required = true };
        scenario.AcceptOnlyFromAmong([.. StressScenarioNames.All]);
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd)" };
        var to = new Option<string?>("--to") { Description = "Day after the last (yyyy-MM-dd)" };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated instruments (default: all)" };
        var command = new Command("stress", "Stress a policy's book: run its lane over history and measure a stress scenario on the book at every rebalance") { policy, scenario, from, to, symbols };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var chosen = PolicyLoader.Load(parse.GetValue(policy)!);
            var name = parse.GetValue(scenario)!;
            var risk = chosen.Risk;
            // The policy's own scenarios and limit still shape the book; the asked scenario is measured beside them, and
            // binds only if the policy lists it. Without a stress limit nothing binds: the book is the policy's as it is.
            var measured = risk with
            {
                StressLimit = risk.StressLimit ?? double.PositiveInfinity,
                StressScenarios = risk.StressLimit is null ? [name] : [.. risk.StressScenarios.Union([name])],
            };
            var stressed = chosen with { Risk = measured };
            var shape = chosen.StrategyOrDefault.Model == StrategyModels.QuoteImbalance ? MarketShape.Ticks : MarketShape.Bars;
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            // One read of the reference data: the scenario's description here, and the lane's limits.
            var reference = await PreTradeReferenceStore.LoadAsync(store, stressed, ct);
            Line("scenario " + reference.Scenarios.Single(sc => sc.Name == name).Description);
            var range = new StoreFeed.Range(shape, OptionValues.Date(parse.GetValue(from), "--from"), OptionValues.Date(parse.GetValue(to), "--to"), OptionValues.List(parse.GetValue(symbols)));
            var run = await BacktestRun.ExecuteAsync(store, stressed, range, $"stress-{chosen.Id}", write: false, speed: null, ct, reference: reference);
            var limits = run.Lane.Overlays.Limits!;
            var k = measured.StressScenarios.ToList().IndexOf(name);
            var checks = limits.History.Where(c => c.Losses.Length > k).Select(c => (c.Ts, Loss: c.Losses[k])).ToList();
            var trims = run.Recorder.RiskEvents.Where(e => e.Kind == "stress_limit").ToList();
            var trimmedHere = trims.Count(e => e.Message.Contains($"in stress scenario {name} ", StringComparison.Ordinal));
            var limitText = risk.StressLimit is { } l ? l.ToString("P2", CultureInfo.InvariantCulture) + (risk.StressScenarios.Contains(name) ? "" : $" (on {string.Join(", ", risk.StressScenarios)}; {name} is measured, not limited)") : "none (risk.stress_limit not set: measured only)";
            Line(string.Create(CultureInfo.InvariantCulture,
                $"{chosen.Id}: {run.Days.Count:N0} sessions, {checks.Count:N0} rebalances measured; stress limit {limitText}; at the volatility target's scale the book would have exceeded it {trims.Count:N0} times ({trimmedHere:N0} in {name}), and was scaled down"));
            if (checks.Count == 0)
            {
                Console.Out.WriteLine("no rebalance: the lane set no book to stress over this range");
                return 0;
            }
            var worst = new Table().Title($"[bold]worst rebalances under {Markup.Escape(name)}[/]").AddColumn("rebalance").AddColumn(new TableColumn("loss (equity)").RightAligned());
            foreach (var (ts, loss) in checks.OrderByDescending(c => c.Loss).Take(5)) worst.AddRow(Day(ts), loss.ToString("P2", CultureInfo.InvariantCulture));
            AnsiConsole.Write(worst);
            var mean = checks.Average(c => c.Loss);
            Line(string.Create(CultureInfo.InvariantCulture, $"mean loss over rebalances {mean:P2}; last rebalance {Day(checks[^1].Ts)}: {checks[^1].Loss:P2}"));

            // The book as compliance approved it (the router trades towards it): the overlays' book with positions clipped.
            var weights = Enumerable.Range(0, run.Lane.Overlays.Weights.Length).Select(run.Lane.Compliance.Approved).ToArray();
            var contributions = limits.Contributions(name, weights, run.Lane.Overlays.Marks);
            var names = Enumerable.Range(0, weights.Length).Where(id => weights[id] != 0).Select(id => (Id: id, Symbol: run.Lane.Instruments.Name(id), Class: limits.ClassOf(id), Weight: weights[id], Loss: contributions[id])).ToList();
            var total = names.Sum(n => n.Loss);
            var outcome = total > 0 ? string.Create(CultureInfo.InvariantCulture, $"loss {total:P2} of equity under {name}") : string.Create(CultureInfo.InvariantCulture, $"no loss under {name} (at its worst point the book gains {-total:P2})");
            Line(string.Create(CultureInfo.InvariantCulture, $"the book at the end of the run: {names.Count} names, gross {names.Sum(n => Math.Abs(n.Weight)):0.###}, {outcome}"));
            var sectors = new Table().Title("[bold]last book's loss by sector[/]").AddColumn("sector").AddColumn(new TableColumn("names").RightAligned()).AddColumn(new TableColumn("net weight").RightAligned()).AddColumn(new TableColumn("loss (equity)").RightAligned());
            foreach (var g in names.GroupBy(n => n.Class.Sector).OrderByDescending(g => g.Sum(n => n.Loss)))
                sectors.AddRow(Markup.Escape(g.Key), g.Count().ToString(CultureInfo.InvariantCulture), g.Sum(n => n.Weight).ToString("0.####", CultureInfo.InvariantCulture), g.Sum(n => n.Loss).ToString("P2", CultureInfo.InvariantCulture));
            AnsiConsole.Write(sectors);
            var top = new Table().Title("[bold]largest losses by name[/]").AddColumn("instrument").AddColumn(new TableColumn("weight").RightAligned()).AddColumn(new TableColumn("loss (equity)").RightAligned());
            foreach (var n in names.OrderByDescending(n => n.Loss).Take(10)) top.AddRow(Markup.Escape(n.Symbol), n.Weight.ToString("0.####", CultureInfo.InvariantCulture), n.Loss.ToString("P2", CultureInfo.InvariantCulture));
            AnsiConsole.Write(top);
            return 0;
        }));
        return command;
    }

    // Plain lines, not markup: a console narrower than a line must not wrap what scripts and tests read.
    private static void Line(string text) => Console.Out.WriteLine(text);

    private static string Day(long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts / 1_000_000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
