using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>The replay venues behind the execution port: what a backtest over history trades against.</summary>
public static class ReplayClients
{
    /// <summary>
    /// The tick replay venue (queue position against recorded quotes and trades) or the bar venue (next open), behind
    /// the policy's execution algorithm and pre-trade limits.
    /// </summary>
    public static IExecutionClient For(TradingPolicy policy, bool ticks, IInstrumentNames instruments) =>
        new Execution.AlgorithmicExecutionClient(ticks ? new TickReplayClient(policy, instruments) : new BarReplayClient(policy), policy, instruments);
}
