using System.Diagnostics;
using System.Net.Sockets;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Tests;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// Mutation fuzzing of the <c>flow fix conformance</c> acceptor process (embedded FIX 4.4 dictionary, file message
/// stores) from eight connections at once: frames sent and their rate, the acceptor's resident memory over the run, that
/// it neither crashed nor hung, and that a valid logon and order still work afterwards.
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- fix-fuzz [frames]
/// </summary>
internal static class FixFuzzRun
{
    public static async Task RunAsync(long frames)
    {
        var flow = FlowDll();
        using var dir = new TempDirectory("flow-fix-fuzz-");
        var port = FreePort();
        var targets = Enumerable.Range(1, 8).Select(i => $"FUZZ{i}").ToArray();
        var arguments = $"{flow} fix conformance --port {port} --sender FLOW --target {string.Join(' ', targets)} CLIENT --reset-on-logon --quiet --store {dir.File("store")}";
        using var acceptor = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start flow");
        var stderr = acceptor.StandardError.ReadToEndAsync();
        await WaitForPortAsync(port).ConfigureAwait(false);
        var rss = new List<(long Frames, long Kb)>();
        var fuzzer = new FixFuzzer("127.0.0.1", port, "FLOW", targets, seed: 11);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (!acceptor.HasExited) rss.Add((fuzzer.Frames, ResidentKb(acceptor.Id)));
                try
                {
                    await Task.Delay(500, sampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        Console.WriteLine($"fuzzing flow fix conformance (pid {acceptor.Id}) with {frames:N0} frames from {targets.Length} connections at a time");
        var result = await fuzzer.RunAsync(frames, framesPerConnection: 2_000).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        Console.WriteLine($"sent {result.Frames:N0} frames ({result.Bytes / 1e6:N0} MB) over {result.Connections:N0} connections in {result.Elapsed.TotalSeconds:N1} s: " +
            $"{result.Frames / result.Elapsed.TotalSeconds:N0} frames/s; the acceptor closed {result.ClosedByAcceptor:N0} connections and answered {result.BytesReceived / 1e6:N0} MB");
        if (acceptor.HasExited)
        {
            Console.WriteLine($"FAILED: the acceptor exited with code {acceptor.ExitCode}: {await stderr.ConfigureAwait(false)}");
            Environment.ExitCode = 1;
            return;
        }
        var tenth = rss.Where(s => s.Frames >= frames / 10).Select(s => s.Kb).DefaultIfEmpty(0).First();
        Console.WriteLine($"acceptor RSS: start {rss.First().Kb / 1024.0:N0} MB, after 10 % {tenth / 1024.0:N0} MB, max {rss.Max(s => s.Kb) / 1024.0:N0} MB, end {rss.Last().Kb / 1024.0:N0} MB");
        var clock = Stopwatch.StartNew();
        await using (var peer = await RawFixPeer.ConnectAsync(port).ConfigureAwait(false))
        {
            await peer.LogonAsync().ConfigureAwait(false);
            await peer.SendAsync(FixMsgType.NewOrderSingle, b => b.Add(FixTag.ClOrdId, "after-fuzz").Add(FixTag.Symbol, "MSFT").Add(FixTag.Side, '1')
                .AddTimestamp(FixTag.TransactTime, CroweLogic.Flow.Contracts.Time.Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow)).Add(FixTag.OrderQty, 10).Add(FixTag.OrdType, '2').Add(FixTag.Price, 99.5m)).ConfigureAwait(false);
            var echo = await peer.ExpectAsync(FixMsgType.NewOrderSingle).ConfigureAwait(false);
            Console.WriteLine($"afterwards a valid logon and order: echoed {echo.GetString(FixTag.ClOrdId)} in {clock.Elapsed.TotalMilliseconds:N1} ms");
        }
        acceptor.Kill();
    }

    private static string FlowDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "cli", "bin", "Release", "net10.0", "flow.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("cli/bin/Release/net10.0/flow.dll was not found; build the CLI first (./flow --help)");
    }

    private static long ResidentKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
        throw new TimeoutException($"the acceptor did not listen on {port}");
    }
}
