using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Activities.Backtest;
using System.Globalization;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Risk;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Backtest;

/// <summary>Runs a strategy (with walk-forward over its parameter grid on daily data), prints the KPIs and writes them to <c>backtest_kpis</c>.</summary>
internal static class BacktestReport
{
    /// <summary>What to run.</summary>
    /// <param name="Shape">Bars or ticks.</param>
    /// <param name="From">First day.</param>
    /// <param name="To">Day after the last.</param>
    /// <param name="Symbols">Instruments (null: all).</param>
    /// <param name="WalkForward">Run the parameter grid and select walk-forward (daily bars).</param>
    /// <param name="Write">Write orders, fills, PnL, risk events, audit entries and KPIs to the store.</param>
    /// <param name="Speed">Paper trading: the feed is paced in real time at this speed on a replay clock (null: a backtest, as fast as the lane goes).</param>
    /// <param name="Venue">What the lane trades against (null: the policy's execution.venue).</param>
    public sealed record Options(MarketShape Shape, DateOnly? From, DateOnly? To, IReadOnlyList<string>? Symbols, bool WalkForward, bool Write, double? Speed = null, VenueSpec? Venue = null);

    public static async Task RunAsync(IFlowStore store, TradingPolicy policy, Options options, CancellationToken ct)
    {
        var range = new StoreFeed.Range(options.Shape, options.From, options.To, options.Symbols);
        var candidates = options.WalkForward && options.Speed is null && options.Shape == MarketShape.Bars ? BaselinePolicies.Grid(policy) : [policy];
        // Only each run's sessions outlive it: a grid of runs must not hold every lane, book and order until the last ends.
        var runs = new List<(string RunId, List<DailyResult> Days)>();
        // The grid varies the strategy only: its runs share one risk section, so its reference data is read once.
        var reference = policy.Risk.NeedsReference ? await PreTradeReferenceStore.LoadAsync(store, policy, ct) : null;
        foreach (var candidate in candidates)
        {
            var s = candidate.StrategyOrDefault;
            var runId = $"{(options.Speed is null ? "" : "paper-")}{candidate.Id}-{s.Lookback}-{s.SkipRecent}";
            var run = await BacktestRun.ExecuteAsync(store, candidate, range, runId, options.Write, options.Speed, ct, venue: options.Venue, reference: reference);
            runs.Add((run.RunId, run.Days));
            var r = run.Result;
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{runId}: {r.Events:N0} events through {run.Lane.BlockNames.Count} blocks in {r.Elapsed.TotalSeconds:F2} s ({r.EventsPerSecond / 1e6:F2} M events/s, store read to last fill); " +
                $"{r.FeatureRows:N0} feature rows, {r.Signals:N0} signals, {run.Lane.Gate.Passed:N0} passed the gate, {r.Orders:N0} orders{(r.ChildOrders > 0 ? $" worked by {candidate.Execution.Algo} in {r.ChildOrders:N0} child orders" : "")}, {r.Fills:N0} fills, {r.RiskEvents:N0} risk events, " +
                $"{r.Quarantined.Values.Sum():N0} quarantined{Reasons(r.Quarantined)}{(options.Write ? $"; written in {r.SinkFlush.TotalSeconds:F1} s" : "")}")));
            Console.Error.WriteLine("flow: busy per block (s): " + run.Lane.BusySummary() +
                string.Create(CultureInfo.InvariantCulture, $"; GC so far: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s"));
        }
        var columns = runs.Select(r => (Name: r.RunId, Kpis: BacktestKpis.Compute(r.Days, policy.CostsOrDefault.InitialEquity))).ToList();
        if (options.WalkForward && runs.Count > 1)
        {
            var (oos, folds) = WalkForward.Select([.. runs.Select(r => (r.RunId, r.Days))]);
            columns.Add(($"walk-forward OOS ({folds.Count} folds)", BacktestKpis.Compute(oos, policy.CostsOrDefault.InitialEquity)));
            AnsiConsole.MarkupLine(Markup.Escape("walk-forward choices: " + string.Join(", ", folds.Select(f => $"{f.Year}:{f.Chosen.Split('-', 2)[1]}"))));
        }
        Print(policy, columns);
        if (options.Write) await StoreAsync(store, policy, columns, ct);
    }

    private static void Print(TradingPolicy policy, List<(string Name, List<(string Metric, double Value)> Kpis)> columns)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(policy.Id)}[/] KPIs").AddColumn("metric");
        foreach (var (name, _) in columns) table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        foreach (var metric in columns[0].Kpis.Select(k => k.Metric).Union(columns[^1].Kpis.Select(k => k.Metric)))
        {
            table.AddRow([metric, .. columns.Select(c => Format(metric, c.Kpis.FirstOrDefault(k => k.Metric == metric).Value))]);
        }
        AnsiConsole.Write(table);
    }

    private static string Format(string metric, double value) => metric switch
    {
        _ when !double.IsFinite(value) => value.ToString(CultureInfo.InvariantCulture),
        "sessions" or "ruined_at_session" => value.ToString("N0", CultureInfo.InvariantCulture),
        "capacity_usd" => (value / 1e6).ToString("N0", CultureInfo.InvariantCulture) + " M",
        _ when metric.EndsWith("_bps", StringComparison.Ordinal) => value.ToString("F2", CultureInfo.InvariantCulture),
        "sharpe" or "sortino" or "calmar" => value.ToString("F2", CultureInfo.InvariantCulture),
        "turnover_annual" or "avg_gross_exposure" => value.ToString("F2", CultureInfo.InvariantCulture) + "×",
        _ => (value * 100).ToString("F2", CultureInfo.InvariantCulture) + " %",
    };

    private static Task StoreAsync(IFlowStore store, TradingPolicy policy, List<(string Name, List<(string Metric, double Value)> Kpis)> columns, CancellationToken ct)
    {
        var rows = columns.SelectMany(c => c.Kpis.Select(k =>
            $"({Sql.Literal(c.Name.StartsWith("walk-forward", StringComparison.Ordinal) ? policy.Id + "-walk-forward" : c.Name)}, {Sql.Literal(policy.StrategyOrDefault.Model)}, {Sql.Literal(policy.Id)}, " +
            $"{Sql.Literal(c.Name.StartsWith("walk-forward", StringComparison.Ordinal) ? "oos" : "full")}, {Sql.Literal(k.Metric)}, {(double.IsFinite(k.Value) ? Sql.Number(k.Value) : "nan")})"));
        return store.ExecuteAsync("INSERT INTO backtest_kpis (run_id, strategy, policy_id, fold, metric, value) VALUES " + string.Join(", ", rows), ct);
    }

    private static string Reasons(IReadOnlyDictionary<string, long> quarantined) => quarantined.Count == 0 ? "" :
        " (" + string.Join(", ", quarantined.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:N0}"))) + ")";
}
