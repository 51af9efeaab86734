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

    public void Dispose() => _dir.Dispose();
}
