using System.Diagnostics;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>Runs the real flow command (flow.dll beside the tests) against a private data directory.</summary>
public sealed class FlowProcess : IDisposable
{
    private readonly CroweLogic.Flow.Tests.Shared.TempDirectory _dir = new("flow-cli-");

    public string DataDir => _dir.Path;

    /// <summary>Starts flow with <paramref name="args"/> and leaves it running (its output redirected).</summary>
    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "flow.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["FLOW_DATA_DIR"] = DataDir;
        psi.Environment.Remove("CLICKHOUSE_URL");
        psi.Environment.Remove("TEMPORAL_ADDRESS");
        return Process.Start(psi)!;
    }

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The rows of a query through <c>flow sql --format csv</c>, header left out, quotes stripped (the query must not return commas inside values).</summary>
    public async Task<List<string[]>> CsvAsync(string sql)
    {
        var (exit, output, error) = await RunAsync("sql", sql, "--format", "csv");
        Assert.True(exit == 0, error);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',').Select(c => c.Trim('"')).ToArray())];
    }

    /// <summary>The platform file of <paramref name="up"/> once it has announced itself (it is killed after 90 s without).</summary>
    public async Task<Storage.PlatformFile> WaitForPlatformAsync(Process up)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (up.HasExited) Assert.Fail($"flow up exited {up.ExitCode}: {await up.StandardError.ReadToEndAsync()}{await up.StandardOutput.ReadToEndAsync()}");
            if (Storage.PlatformFile.Read(DataDir) is { } file && file.Pid == up.Id) return file;
            await Task.Delay(200);
        }
        up.Kill(entireProcessTree: true);
        throw new TimeoutException("flow up did not announce itself in 90 s");
    }

    /// <summary>A loopback port free now (for a service that must come back on the same port after a restart).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _dir.Dispose();
}
