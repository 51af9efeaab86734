using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The QuickFIX C++ 1.15 acceptor from tests/peers/quickfix-acceptor, built on first use (g++ and Debian's
/// libquickfix-dev, which ./test installs) and run on a loopback port chosen now. Session FIX.4.4 QFX←FLOW.
/// </summary>
internal sealed class QuickFixPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly ConcurrentQueue<string> _output = new();

    private QuickFixPeer(Process process, TempDirectory dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>
    /// Starts the acceptor; <paramref name="memoryStore"/> runs it with a memory store and no log (its fastest), and
    /// <paramref name="dictionary"/> has it validate every message against that data dictionary file, and
    /// <paramref name="persistent"/> keeps sequence numbers across logons and disconnects (a session that resumes).
    /// </summary>
    public static async Task<QuickFixPeer> StartAsync(int heartBtInt = 30, bool memoryStore = false, string? dictionary = null, bool persistent = false)
    {
        var binary = await BuildAsync();
        var dir = new TempDirectory("flow-quickfix-");
        var port = FreePort();
        File.WriteAllText(dir.File("acceptor.cfg"), $"""
            [DEFAULT]
            ConnectionType=acceptor
            SocketAcceptPort={port}
            SocketReuseAddress=Y
            SocketNodelay=Y
            StartTime=00:00:00
            EndTime=00:00:00
            FileStorePath={dir.File("store")}
            FileLogPath={dir.File("log")}
            {(dictionary is null ? "UseDataDictionary=N" : $"UseDataDictionary=Y\nDataDictionary={dictionary}")}
            ResetOnLogon={(persistent ? "N" : "Y")}
            ResetOnLogout={(persistent ? "N" : "Y")}
            ResetOnDisconnect={(persistent ? "N" : "Y")}
            HeartBtInt={heartBtInt}

            [SESSION]
            BeginString=FIX.4.4
            SenderCompID=QFX
            TargetCompID=FLOW
            """);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(binary, memoryStore ? $"{dir.File("acceptor.cfg")} --memory" : dir.File("acceptor.cfg"))
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var peer = new QuickFixPeer(process, dir, port);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            peer._output.Enqueue(e.Data);
            if (e.Data == "READY") ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            peer._output.Enqueue("stderr: " + e.Data);
            ready.TrySetException(new InvalidOperationException($"the QuickFIX acceptor failed to start: {e.Data}"));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(15))) != ready.Task)
            throw new InvalidOperationException($"the QuickFIX acceptor did not report READY within 15 s: {string.Join(" / ", peer.Output)}");
        await ready.Task;
        return peer;
    }

    /// <summary>Lines of QuickFIX's own message log for the session (what it received and sent).</summary>
    public string[] MessageLog()
    {
        var file = Directory.GetFiles(_dir.File("log"), "*.messages.current.log").SingleOrDefault();
        if (file is null) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000)) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            _dir.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly SemaphoreSlim BuildGate = new(1, 1);

    private static async Task<string> BuildAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            var script = Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "tests", "peers", "quickfix-acceptor", "build.sh");
            using var build = Process.Start(new ProcessStartInfo("bash", script) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var stdout = await build.StandardOutput.ReadToEndAsync();
            var stderr = await build.StandardError.ReadToEndAsync();
            await build.WaitForExitAsync();
            if (build.ExitCode != 0) throw new InvalidOperationException($"building the QuickFIX acceptor failed (exit {build.ExitCode}): {stderr.Trim()}");
            return stdout.Trim().Split('\n')[^1];
        }
        finally
        {
            BuildGate.Release();
        }
    }
}
