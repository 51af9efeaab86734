using CroweLogic.Flow.Storage.Risk;
using System.Diagnostics;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.MarketData;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Gateways.MarketData;
using CroweLogic.Flow.Gateways.MarketData.Binance;
using CroweLogic.Flow.Gateways.Venue;
using CroweLogic.Flow.Gateways.Venue.Binance;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Host.Live;

/// <summary>How <c>flow live</c> runs.</summary>
/// <param name="Policy">The policy the lane runs (a tick strategy).</param>
/// <param name="Feed">Where market data comes from.</param>
/// <param name="Venue">Where orders go (null: the feed's own venue — the FIX acceptor it reads, or the in-process simulated exchange).</param>
/// <param name="Symbols">Instruments to subscribe to.</param>
public sealed record LiveSessionOptions(TradingPolicy Policy, FeedSpec Feed, VenueSpec? Venue, IReadOnlyList<string> Symbols)
{
    /// <summary>Run id: the lane's portfolio and the id its records carry.</summary>
    public string RunId { get; init; } = $"live-{DateTime.UtcNow:yyyyMMdd-HHmmss}";

    /// <summary>How long the feed may be silent before that is a gap.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the status line is produced.</summary>
    public TimeSpan StatusEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Stop by itself after this long (null: until cancelled).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>For <see cref="FeedKind.Simulated"/>: feeds the in-process venue its market (returns the events fed).</summary>
    public Func<SimulatedFixVenue, CancellationToken, Task<long>>? SimulatedMarket { get; init; }

    /// <summary>Where orders, executions, PnL, risk events and quarantined rows are written as the session runs (null: not written).</summary>
    public IFlowStore? Store { get; init; }

    /// <summary>How often what the lane recorded is written to the store (a killed process loses at most this much).</summary>
    public TimeSpan PersistEvery { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>What a live session did.</summary>
/// <param name="Lane">The lane's counts.</param>
/// <param name="Final">The last status.</param>
/// <param name="WorkingAtVenue">Orders the venue client still counted as working after the close cancelled them (null when the venue keeps no count).</param>
/// <param name="FeedLog">The feed's gaps and statuses in order.</param>
/// <param name="TickToOrderNanos">Every tick-to-order latency, ns.</param>
public sealed record LiveSessionResult(LaneRunResult Lane, LiveStatus Final, int? WorkingAtVenue, IReadOnlyList<string> FeedLog, IReadOnlyList<long> TickToOrderNanos);

/// <summary>
/// <c>flow live</c>: the lane graph on the wall clock, market data through the market-data port from a live feed
/// (<see cref="LiveFeed"/>), orders through the execution port to a live venue, with the live clean-align limits
/// (stale and future events quarantined), the feed's gap and silence rules, a status line, and a clean stop: when the
/// session is cancelled the feed ends, the lane drains, the venue's working orders are cancelled and the session waits
/// for the venue to confirm before it logs out.
/// </summary>
public static class LiveSession
{
    /// <summary>Runs a session until <paramref name="cancellationToken"/> (Ctrl+C) or the options' duration.</summary>
    /// <exception cref="MarketDataException">The feed cannot be reached, or is not available here.</exception>
    public static async Task<LiveSessionResult> RunAsync(LiveSessionOptions options, Action<LiveStatus> status, CancellationToken cancellationToken)
    {
        if (options.Symbols.Count == 0) throw new ArgumentException("a live session needs instruments to subscribe to (--symbols)");
        if (options.Policy.StrategyOrDefault.Model != StrategyModels.QuoteImbalance)
            throw new ArgumentException($"policy {options.Policy.Id}: strategy {options.Policy.StrategyOrDefault.Model} trades bars; a live feed carries ticks (use a tick strategy such as {StrategyModels.QuoteImbalance})");
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } duration) session.CancelAfter(duration);
        var clock = new WallClock();
        await using var simulated = options.Feed.Kind == FeedKind.Simulated ? new SimulatedFixVenue(new SimulatedVenueOptions(0)) : null;
        var feedSpec = options.Feed;
        Task<long>? feeder = null;
        if (simulated is not null)
        {
            var endpoint = simulated.Start();
            simulated.List(options.Symbols);
            feedSpec = new FeedSpec(FeedKind.Fix, endpoint.Address.ToString(), endpoint.Port);
            if (options.SimulatedMarket is null) throw new ArgumentException("--feed sim needs a market to feed the simulated exchange");
            feeder = Task.Run(() => options.SimulatedMarket(simulated, session.Token));
        }
        // A FIX feed's venue is its acceptor. Binance market data is paper traded against the simulated exchange in this
        // process, fed the lane's own market rows, unless the account is named (--venue binance[-testnet]): real orders
        // are never the default.
        var venue = options.Venue ?? (feedSpec.Kind == FeedKind.Fix ? new VenueSpec(VenueKind.Fix, feedSpec.Host, feedSpec.Port, TargetCompId: feedSpec.TargetCompId) : new VenueSpec(VenueKind.Simulated));

        await using var feed = new LiveFeed(clock, options.StaleAfter);
        await using var client = OpenFeed(feedSpec, options.Feed.ToString(), clock);
        LaneGraph? lane = null;
        var persisted = options.Store is { } store ? new StoreLaneSink(store, options.RunId, () => lane!) : null;
        LaneRecorder sink = persisted ?? new LaneRecorder();
        // Sector, issuer and stress limits come from the store's instruments and daily bars; without a store they cannot be checked, so such a policy is refused.
        var reference = !options.Policy.Risk.NeedsReference ? null
            : options.Store is { } referenceStore ? await PreTradeReferenceStore.LoadAsync(referenceStore, options.Policy, cancellationToken).ConfigureAwait(false)
            : throw new ArgumentException($"policy {options.Policy.Id} sets sector, issuer or stress limits, which need the store's instruments and daily bars: run the session with a store");
        var laneOptions = new LaneOptions(MarketShape.Ticks, clock)
        {
            CleanAlign = CleanAlignSettings.Default,
            Reference = reference,
            Portfolio = options.RunId,
            Execution = names => ExecutionVenues.Open(venue, options.Policy, true, names, () => clock.NowNanos, live: true),
        };
        lane = new LaneGraph(options.Policy, laneOptions, sink);
        lane.Telemetry.RecordLatencies();
        var started = Stopwatch.StartNew();
        var reporter = new StatusReporter(options, lane, feed, started);
        using var ticker = new Timer(_ => status(reporter.Read()), null, options.StatusEvery, options.StatusEvery);
        LaneRunResult result;
        try
        {
            client.Start(feed);
            client.Subscribe(options.Symbols);
            var persisting = persisted is null ? Task.CompletedTask : PersistAsync(persisted, options.PersistEvery, session.Token);
            result = await lane.RunAsync(feed.ReadAllAsync(session.Token), session.Token).ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            await persisting.ConfigureAwait(false);
        }
        finally
        {
            // The feed's threads may be waiting for room the lane will no longer make: release them before stopping anything.
            feed.Close();
            await session.CancelAsync().ConfigureAwait(false);
            await client.DisposeAsync().ConfigureAwait(false);
            if (feeder is not null) await feeder.ConfigureAwait(false);
            if (lane.Venue.Client is IAsyncDisposable disposable) await disposable.DisposeAsync().ConfigureAwait(false);
        }
        var final = reporter.Read();
        status(final);
        return new LiveSessionResult(result, final, WorkingAtVenue(lane.Venue.Client), [.. feed.Log], lane.Telemetry.Latencies);
    }

    // Writes what the lane recorded every interval while the session runs; the lane's completion writes the rest. A
    // flush is never cancelled halfway (the stop only ends the timer), so nothing is written twice; a flush the store
    // refuses leaves its records queued for the next one, and a store that stays down fails the completion's flush.
    private static async Task PersistAsync(StoreLaneSink sink, TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await sink.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is StoreQueryException or StoreUnavailableException or IOException)
                {
                    // Retried at the next tick.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static IMarketDataClient OpenFeed(FeedSpec spec, string source, IClock clock) => spec.Kind switch
    {
        FeedKind.Fix => new FixMarketDataClient(new FixFeedOptions(spec.Host, spec.Port) { SenderCompId = spec.SenderCompId, TargetCompId = spec.TargetCompId, Source = source }, () => clock.NowNanos),
        _ => new BinanceSpotFeed((spec.Kind == FeedKind.Binance ? BinanceOptions.Production : BinanceOptions.Testnet) is var o
            ? o with { RestBase = spec.Rest ?? o.RestBase, StreamBase = spec.Stream ?? o.StreamBase, Source = source } : o, () => clock.NowNanos),
    };

    private static int? WorkingAtVenue(IExecutionClient client) => client switch
    {
        AlgorithmicExecutionClient algorithmic => WorkingAtVenue(algorithmic.Inner),
        FixExecutionClient fix => fix.Working,
        BinanceSpotExecutionClient binance => binance.Working,
        LoopbackSimulatedExchange loopback => loopback.Client.Working,
        _ => null,
    };

    // Reads the lane from the status timer's thread: only values the lane publishes for other threads.
    private sealed class StatusReporter(LiveSessionOptions options, LaneGraph lane, LiveFeed feed, Stopwatch clock)
    {
        private long _lastEvents;
        private TimeSpan _lastAt;

        public LiveStatus Read()
        {
            var now = clock.Elapsed;
            var events = feed.Events;
            var rate = (now - _lastAt).TotalSeconds is var dt and > 0 ? (events - _lastEvents) / dt : 0;
            (_lastEvents, _lastAt) = (events, now);
            var latencies = lane.Telemetry.Latencies;
            var p99 = LatencySamples.Nearest(latencies, 0.99) / 1e6;
            var equity = lane.Desk.Equity is var e && double.IsFinite(e) ? e : options.Policy.CostsOrDefault.InitialEquity;
            var risk = lane.Control.KillReason is { } kill ? $"killed: {kill}" : lane.Control.StandDownReason is { } down ? $"stand-down: {down}" : lane.Overlays.FlatReason is { } flat ? $"flat: {flat}" : "ok";
            return new LiveStatus(now, $"{options.Feed} {feed.State}", events, rate, feed.FreshnessNanos(0.5) / 1e6, feed.FreshnessNanos(0.99) / 1e6, p99,
                latencies.Count, lane.Orders.Working, lane.Pnl.Fills, equity, equity - options.Policy.CostsOrDefault.InitialEquity, risk, feed.Gaps);
        }
    }
}
