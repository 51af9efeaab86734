using System.Diagnostics;
using System.Net;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Gateways.Tests;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// Order → ack round trips over loopback TCP, one at a time, each timed individually (BenchmarkDotNet reports means of
/// iterations, not per-message percentiles), from our initiator: against our acceptor and against the QuickFIX C++
/// acceptor, each in a process of its own so neither shares the initiator's heap, both with a memory store and no log
/// (QuickFIX at its fastest), and in turn, twice each (ours,
/// QuickFIX, ours, QuickFIX) so a quiet or noisy moment of the machine does not favour one side.
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- fix-latency [round trips]
/// </summary>
internal static class FixLatency
{
    public static async Task RunAsync(int roundTrips, int turns = 3)
    {
        Console.WriteLine($"order -> ack round trips over loopback, {roundTrips:N0} per turn after {roundTrips / 10:N0} warm-up, {turns} turns each");
        var ours = new List<double>();
        var validating = new List<double>();
        var theirs = new List<double>();
        // QuickFIX validating against the same FIX44.xml our acceptor embeds, and QuickFIX with no dictionary at all.
        var dictionary = Path.Combine(Repository(), "gateways", "Fix", "Dictionary", "FIX44.xml");
        for (var round = 0; round < turns; round++)
        {
            using (var venue = await OwnVenue.StartAsync().ConfigureAwait(false))
                ours.AddRange(await MeasureAsync(venue.Port, "VENUE", roundTrips).ConfigureAwait(false));
            var quickfix = await QuickFixPeer.StartAsync(memoryStore: true, dictionary: dictionary).ConfigureAwait(false);
            await using (quickfix.ConfigureAwait(false))
                validating.AddRange(await MeasureAsync(quickfix.Port, "QFX", roundTrips, holdSymbol: true).ConfigureAwait(false));
            var bare = await QuickFixPeer.StartAsync(memoryStore: true).ConfigureAwait(false);
            await using (bare.ConfigureAwait(false))
                theirs.AddRange(await MeasureAsync(bare.Port, "QFX", roundTrips, holdSymbol: true).ConfigureAwait(false));
        }
        Console.WriteLine($"initiator: {GC.GetTotalAllocatedBytes() / 1e6:N1} MB allocated, GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:N1} ms");
        Report("own acceptor (FIX44.xml)", [.. ours]);
        Report("QuickFIX C++ (FIX44.xml)", [.. validating]);
        Report("QuickFIX C++ (no dict.)", [.. theirs]);
    }

    private static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "gateways", "Fix", "Dictionary", "FIX44.xml"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root was not found");
    }

    /// <summary>Hosts the acking venue (our acceptor) in this process until stdin closes; prints its port.</summary>
    public static async Task ServeVenueAsync()
    {
        var acceptor = new FixAcceptor(new NullLog(), new FixSessionSettings("VENUE", "FLOW"));
        await using (acceptor.ConfigureAwait(false))
        {
            acceptor.AddSession(new FixSessionSettings("VENUE", "FLOW"), new MemoryFixMessageStore(), new AckingVenue());
            var endpoint = acceptor.Start(IPAddress.Loopback, 0);
            Console.WriteLine($"PORT {endpoint.Port}");
            await Console.In.ReadToEndAsync().ConfigureAwait(false);
        }
        Console.Error.WriteLine($"venue: {GC.GetTotalAllocatedBytes() / 1e6:N1} MB allocated, GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalMilliseconds:N1} ms");
    }

    // Our acceptor in a child process of this benchmark (the same binary, "fix-latency-venue").
    private sealed class OwnVenue : IDisposable
    {
        private readonly Process _process;

        private OwnVenue(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static async Task<OwnVenue> StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(typeof(FixLatency).Assembly.Location);
            start.ArgumentList.Add("fix-latency-venue");
            var process = Process.Start(start) ?? throw new InvalidOperationException("the venue process did not start");
            var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the venue process printed no port");
            return new OwnVenue(process, int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000)) _process.Kill();
            _process.Dispose();
        }
    }

    private static async Task<double[]> MeasureAsync(int port, string target, int roundTrips, bool holdSymbol = false)
    {
        var app = new AckWaiter();
        var initiator = new FixInitiator(new FixSessionSettings("FLOW", target) { ResetOnLogon = true }, new MemoryFixMessageStore(), app, new NullLog());
        await using (initiator.ConfigureAwait(false))
        {
            await initiator.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
            var samples = new double[roundTrips];
            var outbound = new FixOutbound(FixMsgType.NewOrderSingle);
            var symbol = holdSymbol ? "HOLD" : "MSFT"; // QuickFIX: resting orders are acked without a fill
            // The order is written in place each time (no Order record, no id string): the measuring process allocates
            // nothing per round trip, so no collection of its own lands in a sample.
            // Collect now, and hold collections off while measuring: the harness's own allocations (sample arrays,
            // process start-up) must not put a pause into a round trip.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var noGc = GC.TryStartNoGCRegion(16 << 20);
            for (var i = -roundTrips / 10; i < roundTrips; i++)
            {
                outbound.Reset(FixMsgType.NewOrderSingle).Body.Add(FixTag.ClOrdId, 1_000_000L + i).Add(FixTag.Symbol, symbol).Add(FixTag.Side, '1')
                    .AddTimestamp(FixTag.TransactTime, Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow)).Add(FixTag.OrderQty, 100).Add(FixTag.OrdType, '2')
                    .Add(FixTag.Price, 412.5m).Add(FixTag.TimeInForce, '0');
                app.Reset();
                var start = Stopwatch.GetTimestamp();
                initiator.Session.Send(outbound);
                app.Wait();
                if (i >= 0) samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            return samples;
        }
    }

    private static void Report(string name, double[] samples)
    {
        Array.Sort(samples);
        double P(double q) => samples[Math.Min(samples.Length - 1, (int)(q * samples.Length))];
        Console.WriteLine($"{name,-24} p50 {P(0.50),7:F1} µs   p90 {P(0.90),7:F1} µs   p99 {P(0.99),7:F1} µs   p99.9 {P(0.999),7:F1} µs   max {samples[^1],8:F1} µs");
    }

    private sealed class NullLog : IFixLog
    {
        public void Event(string session, string text)
        {
        }

        public void Incoming(string session, ReadOnlySpan<byte> frame)
        {
        }

        public void Outgoing(string session, ReadOnlySpan<byte> frame)
        {
        }
    }
}
