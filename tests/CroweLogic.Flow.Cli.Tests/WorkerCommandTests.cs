using System.Diagnostics;
using CroweLogic.Flow.Temporal;
using Temporalio.Client;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow worker</c> as a process: it polls, runs the health check, and traces spans.</summary>
public class WorkerCommandTests
{
    [Fact]
    public async Task The_worker_runs_the_health_check_and_traces_it()
    {
        await using var service = await EmbeddedTemporalService.StartAsync();
        using var data = new CroweLogic.Flow.Tests.Shared.TempDirectory("flow-worker-");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "flow.dll"), "worker", "--temporal", service.Target, "--trace", "--data-dir", data.Path }) psi.ArgumentList.Add(a);
        using var worker = Process.Start(psi)!;
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        worker.BeginErrorReadLine();
        try
        {
            var banner = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(banner?.StartsWith("worker polling flow (lane queue flow-lanes@") == true && banner.Contains(" on Temporal at ", StringComparison.Ordinal), $"banner {banner}; stderr: {string.Join(" | ", stderr)}");
            var result = await service.Client.ExecuteWorkflowAsync<string>("HealthCheck", [], new WorkflowOptions("health-1", "flow"));
            Assert.Contains("on task queue flow", result);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!stderr.Any(l => l.StartsWith("span RunWorkflow:HealthCheck")) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Contains(stderr, l => l.StartsWith("span RunActivity:Probe") && l.Contains("temporal.workflow_id=health-1"));
            Assert.Contains(stderr, l => l.StartsWith("span RunWorkflow:HealthCheck"));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_worker_exports_its_spans_through_opentelemetry()
    {
        await using var service = await EmbeddedTemporalService.StartAsync();
        using var data = new CroweLogic.Flow.Tests.Shared.TempDirectory("flow-worker-");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "flow.dll"), "worker", "--temporal", service.Target, "--otel", "console", "--task-queue", "otel", "--data-dir", data.Path }) psi.ArgumentList.Add(a);
        using var worker = Process.Start(psi)!;
        var stdout = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var polling = new TaskCompletionSource();
        worker.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            stdout.Enqueue(e.Data);
            if (e.Data.StartsWith("worker polling", StringComparison.Ordinal)) polling.TrySetResult();
        };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            await polling.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await service.Client.ExecuteWorkflowAsync<string>("HealthCheck", [], new WorkflowOptions("otel-1", "otel"));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            // The console exporter prints each finished span with its display name and tags.
            while (!stdout.Any(l => l.Contains("RunActivity:Probe", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Contains(stdout, l => l.Contains("RunActivity:Probe", StringComparison.Ordinal));
            Assert.Contains(stdout, l => l.Contains("otel-1", StringComparison.Ordinal));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task The_worker_stops_gracefully_on_sigterm()
    {
        await using var service = await EmbeddedTemporalService.StartAsync();
        using var data = new CroweLogic.Flow.Tests.Shared.TempDirectory("flow-worker-");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "flow.dll"), "worker", "--temporal", service.Target, "--task-queue", "term", "--data-dir", data.Path }) psi.ArgumentList.Add(a);
        using var worker = Process.Start(psi)!;
        worker.BeginErrorReadLine();
        try
        {
            var banner = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("worker polling term", banner);
            Assert.Contains("on task queue term", await service.Client.ExecuteWorkflowAsync<string>("HealthCheck", [], new WorkflowOptions("term-1", "term")));
            using (var kill = Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            var rest = await worker.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("worker stopped", rest);
            Assert.Equal(0, worker.ExitCode);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
    }
}
