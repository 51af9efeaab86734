using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Policy;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Cli.Backtest;

/// <summary>One backtest: the lane graph over history from the store, with the simulated venue and clock.</summary>
internal sealed record BacktestRun(string RunId, TradingPolicy Policy, LaneGraph Lane, LaneRunResult Result, LaneRecorder Recorder, List<DailyResult> Days)
{
    public static async Task<BacktestRun> ExecuteAsync(IFlowStore store, TradingPolicy policy, MarketShape shape, string sql, string runId, bool write, CancellationToken cancellationToken)
    {
        LaneGraph? lane = null;
        LaneRecorder sink = write ? new StoreLaneSink(store, runId, () => lane!) : new LaneRecorder();
        lane = new LaneGraph(policy, new LaneOptions(shape, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Portfolio = runId, Capacity = 4 }, sink);
        var result = await lane.RunAsync(StoreFeed.ReadAsync(store, sql, shape, cancellationToken), cancellationToken);
        return new BacktestRun(runId, policy, lane, result, sink, DailyResult.From(lane.Pnl.Sessions, policy.CostsOrDefault.InitialEquity));
    }
}
