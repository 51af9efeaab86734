using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Gateways.Venue.Binance;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// What stands behind the execution port for a run: the venue a <see cref="VenueSpec"/> names — or, for several, the
/// smart order router across them (<see cref="SmartOrderRoutingClient"/>) — behind the policy's execution algorithm and
/// pre-trade limits (<see cref="AlgorithmicExecutionClient"/>).
/// </summary>
public static class ExecutionVenues
{
    /// <summary>The client for <paramref name="venue"/>.</summary>
    /// <param name="venue">Which venue.</param>
    /// <param name="policy">The policy (algorithm, limits, fees).</param>
    /// <param name="ticks">Whether the lane's market data is ticks (bars trade only on the replay venue).</param>
    /// <param name="instruments">The lane's instrument names.</param>
    /// <param name="clock">The lane's now in ns, for a live venue's events (null: wall time).</param>
    /// <param name="live">Whether the lane runs on the wall clock (flow live): only then may a real venue's account trade.</param>
    /// <exception cref="ArgumentException">The venue cannot trade this kind of market data or run, or its credentials are missing.</exception>
    public static IExecutionClient Open(VenueSpec venue, TradingPolicy policy, bool ticks, IInstrumentNames instruments, Func<long>? clock = null, bool live = false)
    {
        IExecutionClient inner = venue.Kind == VenueKind.Routed
            ? new SmartOrderRoutingClient([.. venue.Members.Select(m => new RoutedVenue(OpenOne(m, policy, ticks, instruments, clock, live), m.FeeBps ?? policy.CostsOrDefault.CommissionBps))])
            : OpenOne(venue, policy, ticks, instruments, clock, live);
        return new AlgorithmicExecutionClient(inner, policy, instruments);
    }

    /// <summary>The replay venue for the policy's market data (what a backtest over history trades against by default).</summary>
    public static IExecutionClient Replay(TradingPolicy policy, bool ticks, IInstrumentNames instruments) => Open(VenueSpec.Replay, policy, ticks, instruments);

    private static IExecutionClient OpenOne(VenueSpec venue, TradingPolicy policy, bool ticks, IInstrumentNames instruments, Func<long>? clock, bool live)
    {
        if (venue.Kind == VenueKind.Binance && !live)
            throw new ArgumentException($"venue {venue}: Binance trades a real account on the wall clock; a replay over history cannot send it orders (use flow live, or --venue sim to paper trade)");
        if (!ticks && venue.Kind is VenueKind.Simulated or VenueKind.SimulatedOverFix)
            throw new ArgumentException($"venue {venue}: the simulated exchange matches orders against recorded quotes, and this run's market data is bars; use --venue replay (bars fill at the next open) or a tick universe");
        // A venue's own fee is what a simulated venue charges.
        var charged = venue.FeeBps is { } fee ? policy with { Costs = policy.CostsOrDefault with { CommissionBps = fee } } : policy;
        var latencyNs = (long)Math.Round((venue.LatencyMs ?? 0) * 1e6);
        return venue.Kind switch
        {
            VenueKind.Replay when ticks => venue.Name is { } name ? new TickReplayClient(charged, instruments, name) : new TickReplayClient(charged, instruments),
            VenueKind.Replay => venue.Name is { } name ? new BarReplayClient(charged, name) : new BarReplayClient(charged),
            VenueKind.Simulated => new SimulatedExchangeClient(charged, instruments, venue.DisplayName, latencyNs),
            VenueKind.SimulatedOverFix => new LoopbackSimulatedExchange(charged, instruments, venue.DisplayName),
            VenueKind.Fix => new FixExecutionClient(new FixVenueOptions(venue.Host, venue.Port)
            {
                SenderCompId = venue.SenderCompId,
                TargetCompId = venue.TargetCompId,
                StoreDirectory = venue.StoreDirectory,
                HeartBtIntSeconds = venue.HeartBtIntSeconds,
                Venue = venue.DisplayName,
            }, clock),
            VenueKind.Binance => new BinanceSpotExecutionClient(new BinanceVenueOptions(
                venue.Rest ?? (venue.Testnet ? BinanceVenueOptions.TestnetRest : BinanceVenueOptions.ProductionRest),
                venue.WsApi ?? (venue.Testnet ? BinanceVenueOptions.TestnetWsApi : BinanceVenueOptions.ProductionWsApi),
                BinanceCredentials.Load(venue.KeyFile)) { Venue = venue.DisplayName }, clock),
            _ => throw new ArgumentException($"venue {venue}: a routed venue's members are single venues"),
        };
    }
}
