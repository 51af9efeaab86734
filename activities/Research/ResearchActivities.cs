using System.Globalization;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using Temporalio.Activities;

namespace CroweLogic.Flow.Activities.Research;

/// <summary>Research side effects: backtests of trials through the lane graph over the store's daily history.</summary>
public sealed class ResearchActivities(GovernanceServices services)
{
    /// <summary>Backtests one trial (nothing is written to the store) and summarises it for selection.</summary>
    [Activity("research.backtest")]
    public Task<CandidateResult> BacktestAsync(CandidateBacktest candidate) => ActivityFailures.GuardAsync(async () =>
    {
        var policy = PolicyLoader.Parse(CandidatePolicy.Yaml(candidate.Strategy, candidate.Lookback, candidate.SkipRecent), candidate.Name);
        var run = await RunAsync(services, policy, candidate.Name, candidate.From, candidate.To, Cancellation()).ConfigureAwait(false);
        return Summarise(candidate, run);
    });

    /// <summary>Runs a policy over daily history (buffered, so parallel trials do not hold the store) without writing.</summary>
    public static Task<BacktestRun> RunAsync(GovernanceServices services, TradingPolicy policy, string runId, string from, string to, CancellationToken cancellationToken) =>
        BacktestRun.ExecuteAsync(services.Store, policy, new StoreFeed.Range(MarketShape.Bars, Day(from), Day(to), null, Buffered: true), runId, write: false, speed: null, cancellationToken);

    /// <summary>A run's selection statistics, KPIs and reproducibility hash.</summary>
    public static CandidateResult Summarise(CandidateBacktest candidate, BacktestRun run)
    {
        var returns = DailyResult.Trading(run.Days).Select(d => d.Return).ToList();
        var sample = SharpeSample.Of(returns);
        return new CandidateResult(candidate, returns.Count, sample?.Sharpe, sample?.Skewness, sample?.Kurtosis, sample?.ProbabilisticSharpe(),
            FiniteKpis(run), BacktestFingerprint.Of(run), run.Recorder.Orders.Count);
    }

    /// <summary>The run's KPIs without the statistics its sessions leave undefined (JSON and the registry hold finite numbers).</summary>
    public static Dictionary<string, double> FiniteKpis(BacktestRun run) =>
        BacktestKpis.Compute(DailyResult.Trading(run.Days), run.Policy.CostsOrDefault.InitialEquity).Where(k => double.IsFinite(k.Value)).ToDictionary(k => k.Metric, k => k.Value, StringComparer.Ordinal);

    /// <summary>A yyyy-MM-dd day.</summary>
    public static DateOnly Day(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw new PolicyException($"'{text}' is not a day (yyyy-MM-dd)");

    /// <summary>The activity's cancellation, or none outside an activity.</summary>
    public static CancellationToken Cancellation() => ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
