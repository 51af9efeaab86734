using CroweLogic.Flow.Gateways.Venue;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Cli.Backtest;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow bench lane</c>: the full lane graph (the quote-imbalance baseline, the replay venue, PnL) on synthetic ticks
/// for 500 instruments, held in memory so the graph is what is measured. Throughput: events/s with the feed as fast as the
/// graph takes it (target ≥ 3 M/s on two cores). Latency: the feed paced at a fixed rate in 1 ms micro-batches, tick-to-
/// order from the triggering batch's arrival at the lane to the order leaving the router (target p99 &lt; 1 ms at 100 000 events/s).
/// With <c>--venue fix</c> the paced run trades over FIX with the simulated exchange as an acceptor on loopback (fed the
/// synthetic quotes, answering live), orders going out as decided (IMMEDIATE), and tick-to-order is also measured to the
/// NewOrderSingle written to the socket.
/// </summary>
internal static class LaneBench
{
    private const int WarmUpSeconds = 2;

    public static Command Create()
    {
        var events = new Option<int>("--events") { Description = "Events in the throughput feed", DefaultValueFactory = _ => 10_000_000 };
        var symbols = new Option<int>("--symbols") { Description = "Instruments", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch") { Description = "Events per message in the throughput feed", DefaultValueFactory = _ => 8192 };
        var repeats = new Option<int>("--repeats") { Description = "Throughput runs (best and median are reported)", DefaultValueFactory = _ => 3 };
        var rate = new Option<int>("--rate") { Description = "Events per second of the paced latency feed", DefaultValueFactory = _ => 100_000 };
        var seconds = new Option<int>("--seconds") { Description = "Length of the paced latency run", DefaultValueFactory = _ => 20 };
        var sustained = new Option<bool>("--sustained-flow") { Description = "Synthetic instruments with ~2 % daily volatility and persistent order-flow pressure: orders (and whole-book rescales) keep coming for the whole run instead of thinning out after the first seconds" };
        var venue = new Option<string>("--venue") { Description = "The paced run's venue: replay (in the lane's process, no wire) or fix (the simulated exchange as a FIX acceptor on loopback; latency measured to the socket)", DefaultValueFactory = _ => "replay" };
        venue.AcceptOnlyFromAmong("replay", "fix");
        var command = new Command("lane", "The lane graph on synthetic ticks: events/s, and p50/p99 tick-to-order at a paced rate") { events, symbols, batch, repeats, rate, seconds, sustained, venue };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            await RunAsync(parse.GetValue(events), parse.GetValue(symbols), Math.Max(1, parse.GetValue(batch)), Math.Max(1, parse.GetValue(repeats)),
                Math.Max(1, parse.GetValue(rate)), Math.Max(1, parse.GetValue(seconds)), parse.GetValue(sustained), parse.GetValue(venue) == "fix", ct);
            return 0;
        }));
        return command;
    }

    /// <summary>The quote-imbalance baseline, forecasting each instrument every second of market time so orders flow.</summary>
    internal static TradingPolicy Policy()
    {
        var policy = BaselinePolicies.Load("quote-imbalance");
        return policy with { Strategy = policy.StrategyOrDefault with { RebalanceEvery = 1 } };
    }

    private static async Task RunAsync(int eventCount, int symbolCount, int batchRows, int repeats, int rate, int seconds, bool sustained, bool fix, CancellationToken ct)
    {
        AnsiConsole.MarkupLine($"[bold]flow bench lane[/] · {symbolCount} instruments{(sustained ? " (sustained order flow)" : "")} · {eventCount:N0} events in batches of {batchRows:N0} · paced {rate:N0} events/s for {seconds} s{(fix ? " over FIX" : "")} · {Environment.ProcessorCount} cores");
        Console.Error.WriteLine("flow: generating the ticks");
        var ticks = new SyntheticTicks(symbolCount) { SustainedFlow = sustained };
        var batches = new List<RecordBatch>();
        for (var left = eventCount; left > 0; left -= batchRows) batches.Add(ticks.Next(Math.Min(batchRows, left)));

        var runs = new List<(LaneRunResult Result, LaneGraph Lane)>();
        for (var i = 0; i < repeats; i++)
        {
            Console.Error.WriteLine($"flow: throughput run {i + 1} of {repeats}");
            GC.Collect();
            var lane = new LaneGraph(Policy(), new LaneOptions(MarketShape.Ticks, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Portfolio = "bench", Execution = names => ExecutionVenues.Replay(Policy(), true, names) }, new CountingSink());
            runs.Add((await lane.RunAsync(Replay(batches, ct), ct), lane));
        }
        var rates = runs.Select(r => r.Result.EventsPerSecond).ToList();
        var median = BenchStats.Median(rates);
        var (lastResult, lastBusy) = (runs[^1].Result, runs[^1].Lane.BusySummary());
        // The throughput runs' graphs and ticks are dropped so the paced run's collections do not walk them.
        runs.Clear();
        batches.Clear();

        Console.Error.WriteLine($"flow: paced run, {rate:N0} events/s for {seconds} s");
        // The throughput runs leave ~1.2 GB committed but free. With it still committed, each gen0 pause of the paced run
        // took ~2 ms instead of ~0.8 ms (measured: 115 vs 35 ms paused in 20 s). An aggressive collection returns it to the
        // OS now, so the paced run starts from the heap a freshly started lane would have.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pacedSink = new CountingSink { Transit = [] };
        var pacedPolicy = fix ? Policy() with { Execution = Policy().Execution with { Algo = ExecutionSettings.Immediate } } : Policy();
        LoopbackSimulatedExchange? wire = null;
        var paced = new LaneGraph(pacedPolicy, new LaneOptions(MarketShape.Ticks, new SimulatedClock())
        {
            CleanAlign = CleanAlignSettings.Replay,
            Portfolio = "bench",
            Execution = names => fix
                ? new CroweLogic.Flow.Gateways.Execution.AlgorithmicExecutionClient(wire = new LoopbackSimulatedExchange(pacedPolicy, names, lockstep: false), pacedPolicy, names)
                : ExecutionVenues.Replay(pacedPolicy, true, names),
        }, pacedSink);
        // The first seconds warm the new graph up (tiered JIT, first fills, dictionaries growing); latency is kept after them.
        long recordingStarted = 0;
        var warmUp = Task.Delay(TimeSpan.FromSeconds(WarmUpSeconds), ct).ContinueWith(_ =>
        {
            recordingStarted = Stopwatch.GetTimestamp();
            paced.Telemetry.RecordLatencies();
            if (wire is not null) wire.Client.RecordWireLatency = true;
            pacedSink.Recording = true;
        }, TaskScheduler.Default);
        var (gen0, gen1, gen2, paused, allocated) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        var pacedResult = await paced.RunAsync(Paced(new SyntheticTicks(symbolCount, seed: 12) { SustainedFlow = sustained }, rate, seconds, ct), ct);
        await warmUp;
        var laterOrders = pacedSink.OrdersInSecondHalf(recordingStarted, Stopwatch.GetTimestamp());
        var allocatedPerEvent = (GC.GetTotalAllocatedBytes() - allocated) / (double)Math.Max(1, pacedResult.Events);
        var ephemeral = GC.GetGCMemoryInfo(GCKind.Ephemeral);
        var gc = Invariant($"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} collections (gen0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, {allocatedPerEvent:F0} bytes allocated per event (feed included); last ephemeral collection promoted {ephemeral.PromotedBytes / 1e6:F1} MB, heap {ephemeral.HeapSizeBytes / 1e6:F0} MB");
        var latencies = paced.Telemetry.Latencies.Select(l => l / 1e6).Order().ToArray();
        double[] onWire = [];
        var venueMessages = 0L;
        if (wire is not null)
        {
            onWire = [.. wire.Client.WireLatencies.Select(t => t * 1e3 / Stopwatch.Frequency).Order()];
            venueMessages = wire.Client.Received;
            await wire.DisposeAsync();
        }

        var table = new Spectre.Console.Table().Border(TableBorder.Rounded).AddColumns("measure", "result", "target", "");
        table.AddRow("throughput, full graph (events/s)", Invariant($"median {median / 1e6:F2} M/s · best {rates.Max() / 1e6:F2} M/s ({lastResult.Events:N0} events, {lastResult.Orders:N0} orders worked in {lastResult.ChildOrders:N0} children, {lastResult.Fills:N0} fills)"),
            "≥ 3 M/s", Met(median >= 3e6));
        if (latencies.Length == 0) table.AddRow("tick-to-order", Invariant($"no orders in the paced run ({pacedResult.Events:N0} events)"), "p99 < 1 ms", Met(false));
        else
        {
            table.AddRow(Invariant($"tick-to-order at {pacedResult.Events / (double)seconds:N0} events/s, {pacedResult.Events / (double)pacedResult.Messages:N0}-event micro-batches (after {WarmUpSeconds} s warm-up)"),
                Invariant($"p50 {Percentile(latencies, 0.50):F3} ms · p99 {Percentile(latencies, 0.99):F3} ms · max {latencies[^1]:F3} ms ({latencies.Length:N0} orders, {laterOrders:N0} in the second half of the run)"),
                "p99 < 1 ms", Met(Percentile(latencies, 0.99) < 1));
        }
        if (wire is not null)
        {
            table.AddRow(Invariant($"tick-to-order to the socket (NewOrderSingle written, FIX on loopback to the simulated exchange)"),
                onWire.Length == 0 ? "no orders went out" : Invariant($"p50 {Percentile(onWire, 0.50):F3} ms · p99 {Percentile(onWire, 0.99):F3} ms · p99.9 {Percentile(onWire, 0.999):F3} ms · max {onWire[^1]:F3} ms ({onWire.Length:N0} orders; {venueMessages:N0} execution reports and rejects back)"),
                "p99 < 1 ms", Met(onWire.Length > 0 && Percentile(onWire, 0.99) < 1));
        }
        var transit = pacedSink.Transit!.Order().ToArray();
        if (transit.Length > 0)
            table.AddRow("lane transit of every paced message (arrival → sink)", Invariant($"p50 {Percentile(transit, 0.50):F3} ms · p99 {Percentile(transit, 0.99):F3} ms ({transit.Length:N0} messages)"), "reference", "");
        AnsiConsole.Write(table);
        Console.Error.WriteLine("flow: busy per block in the last throughput run (s): " + lastBusy);
        Console.Error.WriteLine("flow: busy per block in the paced run (s): " + paced.BusySummary() + "; GC during it: " + gc);
    }

    private static string Met(bool met) => met ? "[green]met[/]" : "[red]missed[/]";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async IAsyncEnumerable<LaneMessage> Replay(List<RecordBatch> batches, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var i = 0; i < batches.Count && !ct.IsCancellationRequested; i++) yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, batches[i], i));
        await Task.CompletedTask;
    }

    /// <summary>
    /// Every millisecond, the events that arrived since the last tick at <paramref name="rate"/>, as one message. A
    /// dedicated thread paces the feed (sleeping 1 ms; the runtime's timers tick at about 4 ms here) and hands the
    /// batches over a channel.
    /// </summary>
    private static async IAsyncEnumerable<LaneMessage> Paced(SyntheticTicks ticks, int rate, int seconds, [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<LaneMessage>(new() { SingleReader = true, SingleWriter = true });
        var producer = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            long sent = 0, sequence = 0, total = (long)rate * seconds;
            while (sent < total && !ct.IsCancellationRequested)
            {
                Thread.Sleep(1);
                var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
                if (due <= sent) continue;
                var rows = (int)(due - sent);
                sent = due;
                channel.Writer.TryWrite(new LaneMessage(new MarketBatch(MarketShape.Ticks, ticks.Next(rows), sequence++)) { Arrival = Stopwatch.GetTimestamp() });
            }
            channel.Writer.Complete();
        }) { IsBackground = true, Name = "bench-feed" };
        producer.Start();
        await foreach (var message in channel.Reader.ReadAllAsync(ct)) yield return message;
    }

    /// <summary>Counts what reaches the end of the lane and keeps nothing.</summary>
    private sealed class CountingSink : ILaneSink
    {
        public long Messages { get; private set; }

        /// <summary>Whether transit times are being kept.</summary>
        public volatile bool Recording;

        /// <summary>Arrival to sink of every market message, milliseconds, when kept.</summary>
        public List<double>? Transit { get; init; }

        /// <summary>When orders reached the sink while transit times were kept (timestamp, orders).</summary>
        public List<(long At, int Orders)> OrderTimes { get; } = [];

        /// <summary>Orders kept in the second half of the recorded span: near half when the order flow is steady.</summary>
        public int OrdersInSecondHalf(long recordingStarted, long ended) => OrderTimes.Where(o => o.At >= recordingStarted + ((ended - recordingStarted) / 2)).Sum(o => o.Orders);

        public void Accept(LaneMessage message)
        {
            Messages++;
            if (Recording && message.Market is not null) Transit?.Add(Stopwatch.GetElapsedTime(message.Arrival).TotalMilliseconds);
            if (Recording && message.Orders.Count > 0) OrderTimes.Add((Stopwatch.GetTimestamp(), message.Orders.Count));
        }

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
