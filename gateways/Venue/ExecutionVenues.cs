using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Gateways.Execution;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// What stands behind the execution port for a run: the venue a <see cref="VenueSpec"/> names, behind the policy's
/// execution algorithm and pre-trade limits (<see cref="AlgorithmicExecutionClient"/>).
/// </summary>
public static class ExecutionVenues
{
    /// <summary>The client for <paramref name="venue"/>.</summary>
    /// <param name="venue">Which venue.</param>
    /// <param name="policy">The policy (algorithm, limits, fees).</param>
    /// <param name="ticks">Whether the lane's market data is ticks (bars trade only on the replay venue).</param>
    /// <param name="instruments">The lane's instrument names.</param>
    /// <param name="clock">The lane's now in ns, for a live venue's events (null: wall time).</param>
    /// <exception cref="ArgumentException">The venue cannot trade this kind of market data.</exception>
    public static IExecutionClient Open(VenueSpec venue, TradingPolicy policy, bool ticks, IInstrumentNames instruments, Func<long>? clock = null)
    {
        if (!ticks && venue.Kind is VenueKind.Simulated or VenueKind.SimulatedOverFix)
            throw new ArgumentException($"venue {venue}: the simulated exchange matches orders against recorded quotes, and this run's market data is bars; use --venue replay (bars fill at the next open) or a tick universe");
        IExecutionClient inner = venue.Kind switch
        {
            VenueKind.Replay => ticks ? new TickReplayClient(policy, instruments) : new BarReplayClient(policy),
            VenueKind.Simulated => new SimulatedExchangeClient(policy, instruments),
            VenueKind.SimulatedOverFix => new LoopbackSimulatedExchange(policy, instruments),
            _ => new FixExecutionClient(new FixVenueOptions(venue.Host, venue.Port)
            {
                SenderCompId = venue.SenderCompId,
                TargetCompId = venue.TargetCompId,
                StoreDirectory = venue.StoreDirectory,
                HeartBtIntSeconds = venue.HeartBtIntSeconds,
                Venue = venue.TargetCompId,
            }, clock),
        };
        return new AlgorithmicExecutionClient(inner, policy, instruments);
    }

    /// <summary>The replay venue for the policy's market data (what a backtest over history trades against by default).</summary>
    public static IExecutionClient Replay(TradingPolicy policy, bool ticks, IInstrumentNames instruments) => Open(VenueSpec.Replay, policy, ticks, instruments);
}
