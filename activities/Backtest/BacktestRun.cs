using CroweLogic.Flow.Storage.Risk;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>One backtest: the lane graph over history from the store, with the simulated venue and clock.</summary>
public sealed record BacktestRun(string RunId, TradingPolicy Policy, LaneGraph Lane, LaneRunResult Result, LaneRecorder Recorder, List<DailyResult> Days)
{
    /// <summary>Runs the lane over the store's history: a backtest, or paper trading when <paramref name="speed"/> paces the feed on a replay clock.</summary>
    /// <param name="store">History and, when <paramref name="write"/>, where the run is written.</param>
    /// <param name="policy">The policy the lane runs.</param>
    /// <param name="range">What history to replay.</param>
    /// <param name="runId">Portfolio and run id.</param>
    /// <param name="write">Write orders, executions, PnL, risk events and audit entries to the store.</param>
    /// <param name="speed">Paper pace (event time per wall time), or null for a backtest.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="started">Called with the lane before it runs (returns what to dispose when it ends): how incident control reaches a running lane.</param>
    /// <param name="venue">What stands behind the execution port (null: the policy's <c>execution.venue</c>, by default the replay venue).</param>
    /// <param name="reference">Sectors, issuers and stress scenarios already loaded for the policy's limits (null: loaded here when the policy sets any), so a grid of runs over one risk section reads them once.</param>
    public static async Task<BacktestRun> ExecuteAsync(IFlowStore store, TradingPolicy policy, StoreFeed.Range range, string runId, bool write, double? speed, CancellationToken cancellationToken,
        Func<LaneGraph, IDisposable?>? started = null, VenueSpec? venue = null, Contracts.Risk.PreTradeReference? reference = null)
    {
        var spec = venue ?? policy.Execution.Venue;
        LaneGraph? lane = null;
        LaneRecorder sink = write ? new StoreLaneSink(store, runId, () => lane!) : new LaneRecorder();
        var shape = range.Shape;
        if (reference is null && policy.Risk.NeedsReference) reference = await PreTradeReferenceStore.LoadAsync(store, policy, cancellationToken);
        var feed = StoreFeed.ReadAsync(store, range, cancellationToken);
        LaneOptions options;
        if (speed is { } pace)
        {
            // Paper: the live clean-align limits in the replay's event time, the feed released as the replay clock reaches it.
            var clock = new ReplayClock(pace);
            options = new LaneOptions(shape, clock) { CleanAlign = CleanAlignSettings.Default.ScaledBy(pace), Portfolio = runId, Capacity = 4, Execution = Venue(spec, policy, shape, clock), Reference = reference };
            feed = PacedFeed.Pace(feed, clock, cancellationToken);
        }
        else
        {
            var clock = new SimulatedClock();
            options = new LaneOptions(shape, clock) { CleanAlign = CleanAlignSettings.Replay, Portfolio = runId, Capacity = 4, Execution = Venue(spec, policy, shape, clock), Reference = reference };
        }
        lane = new LaneGraph(policy, options, sink);
        LaneRunResult result;
        try
        {
            using (started?.Invoke(lane))
            {
                result = await lane.RunAsync(feed, cancellationToken);
            }
        }
        finally
        {
            if (lane.Venue.Client is IAsyncDisposable client) await client.DisposeAsync();
        }
        return new BacktestRun(runId, policy, lane, result, sink, DailyResult.From(lane.Pnl.Sessions, policy.CostsOrDefault.InitialEquity));
    }

    private static Func<IInstrumentNames, IExecutionClient> Venue(VenueSpec venue, TradingPolicy policy, MarketShape shape, IClock clock) =>
        names => ExecutionVenues.Open(venue, policy, shape == MarketShape.Ticks, names, () => clock.NowNanos);
}
