using System.Diagnostics;
using CroweLogic.Flow.Temporal;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// Workflows per second for a one-activity workflow against the embedded Temporal service, with the real SDK
/// worker in the same process, 100 workflows in flight at a time: durable (the SQLite journal, as <c>flow up</c> runs
/// it) and in memory, in the same run.
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- temporal-throughput [workflows]
/// </summary>
internal static class TemporalThroughput
{
    private static int Concurrency => int.TryParse(Environment.GetEnvironmentVariable("FLOW_BENCH_CONCURRENCY"), out var c) ? c : 100;

    public static async Task RunAsync(int workflows)
    {
        using (var dir = new CroweLogic.Flow.Tests.Shared.TempDirectory("flow-bench-temporal-"))
            await RunAsync(workflows, dir.Path);
        await RunAsync(workflows, null);
    }

    private static async Task RunAsync(int workflows, string? journalDirectory)
    {
        await using var service = await EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(DataDirectory: journalDirectory));
        using var worker = new TemporalWorker(service.Client, new TemporalWorkerOptions("bench")
        {
            MaxConcurrentWorkflowTasks = 100,
            MaxConcurrentActivities = 100,
        }.AddWorkflow<OneActivityWorkflow>().AddAllActivities(typeof(EchoActivity), null));
        await worker.ExecuteAsync(async () =>
        {
            await RunBatchAsync(service.Client, "warm", workflows / 10);
            var watch = Stopwatch.StartNew();
            await RunBatchAsync(service.Client, "run", workflows);
            var seconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"{workflows:N0} one-activity workflows in {seconds:F2} s: {workflows / seconds:F0} workflows/s ({(journalDirectory is null ? "in memory" : "durable, SQLite journal")}, {Concurrency} in flight)");
        });
    }

    private static async Task RunBatchAsync(TemporalClient client, string prefix, int count)
    {
        using var gate = new SemaphoreSlim(Concurrency);
        var tasks = Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var result = await client.ExecuteWorkflowAsync((OneActivityWorkflow w) => w.RunAsync(i), new(id: $"{prefix}-{i}", taskQueue: "bench"));
                if (result != i + 1) throw new InvalidOperationException($"workflow {i} returned {result}");
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
    }
}

/// <summary>The benchmark's activity.</summary>
public static class EchoActivity
{
    /// <summary>Adds one.</summary>
    [Activity]
    public static int Increment(int value) => value + 1;
}

/// <summary>One activity, then done.</summary>
[Workflow]
public class OneActivityWorkflow
{
    /// <summary>Runs the activity.</summary>
    [WorkflowRun]
    public async Task<int> RunAsync(int value) =>
        await Workflow.ExecuteActivityAsync(() => EchoActivity.Increment(value), new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
}
