using System.Net;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The acceptor under mutation fuzzing (<see cref="FixFuzzer"/>): no crash, no hang, bounded memory, and a valid session
/// still works afterwards. The ten-million-frame run against the <c>flow fix conformance</c> process is a benchmark:
/// <c>dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- fix-fuzz 10000000</c>.
/// </summary>
public class FixFuzzTests
{
    [Fact]
    public async Task Fuzzed_frames_from_many_connections_neither_crash_nor_hang_the_acceptor_and_a_valid_session_still_works()
    {
        var targets = Enumerable.Range(1, 4).Select(i => $"FUZZ{i}").ToArray();
        // A log that keeps nothing: the memory bound is the acceptor's, not a test log holding an event per garbled frame.
        var log = new CountingLog();
        var acceptor = new FixAcceptor(log, new FixSessionSettings("FLOW", ""));
        await using (acceptor)
        {
            foreach (var target in targets.Append("CLIENT"))
                acceptor.AddSession(new FixSessionSettings("FLOW", target) { ResetOnLogon = true }, new MemoryFixMessageStore(), new FixConformanceApplication());
            var port = acceptor.Start(IPAddress.Loopback, 0).Port;
            var fuzzer = new FixFuzzer("127.0.0.1", port, "FLOW", targets, seed: 5);
            var quarter = await fuzzer.RunAsync(50_000, framesPerConnection: 500);
            var before = Managed();
            var result = await fuzzer.RunAsync(200_000, framesPerConnection: 500);
            var after = Managed();
            Assert.True(result.Frames >= 200_000, $"only {result.Frames} frames sent");
            Assert.True(result.Connections > 100, $"only {result.Connections} connections");
            Assert.True(after - before < 64 << 20, $"managed memory grew by {(after - before) >> 20} MB over 150 000 fuzzed frames");

            await using var peer = await RawFixPeer.ConnectAsync(port);
            await peer.LogonAsync();
            await peer.SendAsync(FixMsgType.NewOrderSingle, b => FixSessionTests.Order(b, "after-fuzz"));
            var echo = await peer.ExpectAsync(FixMsgType.NewOrderSingle);
            Assert.Equal("after-fuzz", echo.GetString(FixTag.ClOrdId));
            Assert.True(log.Events > 0, "the fuzzed frames were logged as session events");
            Assert.Empty(log.ApplicationErrors);
            _ = quarter;
        }
    }

    private sealed class CountingLog : IFixLog
    {
        private long _events;

        public long Events => Interlocked.Read(ref _events);

        public System.Collections.Concurrent.ConcurrentQueue<string> ApplicationErrors { get; } = new();

        public void Event(string session, string text)
        {
            Interlocked.Increment(ref _events);
            if (text.Contains("application error", StringComparison.Ordinal)) ApplicationErrors.Enqueue($"{session}: {text}");
        }

        public void Incoming(string session, ReadOnlySpan<byte> frame)
        {
        }

        public void Outgoing(string session, ReadOnlySpan<byte> frame)
        {
        }
    }

    private static long Managed()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
