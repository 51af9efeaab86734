using CroweLogic.Flow.Temporal;
using CroweLogic.Flow.Temporal.Journal;
using CroweLogic.Flow.Tests.Shared;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>The embedded service's journal: what a restart keeps, and what it refuses to open.</summary>
public class DurabilityTests
{
    private static TemporalWorker Worker(TemporalClient client, string queue) =>
        new(client, SampleWorkflows.AddTo(new TemporalWorkerOptions(queue)).AddAllActivities(typeof(SampleActivities), null));

    private static async Task RunWorkerUntilAsync(TemporalClient client, string queue, Func<Task> body)
    {
        using var stop = new CancellationTokenSource();
        using var worker = Worker(client, queue);
        var running = worker.ExecuteAsync(stop.Token);
        try
        {
            await body();
        }
        finally
        {
            stop.Cancel();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task After_a_restart_running_workflows_continue_signals_accepted_before_it_apply_and_timers_fire()
    {
        await using var temporal = await DurableTemporal.StartAsync();
        WorkflowHandle<SignalQueryWorkflow, string>? signals = null;
        WorkflowHandle<TimerWorkflow, string>? timer = null;
        await RunWorkerUntilAsync(temporal.Client, "dur1", async () =>
        {
            signals = await temporal.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "dur-signals", taskQueue: "dur1"));
            await signals.SignalAsync(w => w.AddAsync("before"));
            timer = await temporal.Client.StartWorkflowAsync((TimerWorkflow w) => w.RunAsync(TimeSpan.FromSeconds(3)), new(id: "dur-timer", taskQueue: "dur1"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await signals.QueryAsync(w => w.Count) < 1 && DateTime.UtcNow < deadline) await Task.Delay(20);
        });
        // No worker now: this signal is only accepted (journaled), not yet seen by the workflow.
        await signals!.SignalAsync(w => w.AddAsync("accepted-while-down"));
        var lengthBefore = (await temporal.Client.GetWorkflowHandle("dur-signals").DescribeAsync()).HistoryLength;

        await temporal.RestartAsync();

        var described = await temporal.Client.GetWorkflowHandle("dur-signals").DescribeAsync();
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running, described.Status);
        Assert.True(described.HistoryLength >= lengthBefore, "the history survives the restart");
        string signalResult = "", timerResult = "";
        await RunWorkerUntilAsync(temporal.Client, "dur1", async () =>
        {
            var again = temporal.Client.GetWorkflowHandle<SignalQueryWorkflow>("dur-signals");
            await again.SignalAsync(w => w.FinishAsync());
            signalResult = await again.GetResultAsync<string>();
            timerResult = await temporal.Client.GetWorkflowHandle("dur-timer").GetResultAsync<string>();
        });
        Assert.Equal("before,accepted-while-down", signalResult);
        Assert.Equal("slept 0 h", timerResult);
    }

    [Fact]
    public async Task Activity_attempts_and_their_backoff_survive_a_restart_so_the_retry_policy_counts_across_it()
    {
        await using var temporal = await DurableTemporal.StartAsync();
        var key = Guid.NewGuid().ToString("N");
        WorkflowHandle<PatientRetryWorkflow, string>? handle = null;
        await RunWorkerUntilAsync(temporal.Client, "dur2", async () =>
        {
            handle = await temporal.Client.StartWorkflowAsync((PatientRetryWorkflow w) => w.RunAsync(key), new(id: "dur-retry", taskQueue: "dur2"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((SampleActivities.Attempts.TryGetValue(key, out var seen) ? seen.Count : 0) < 1 && DateTime.UtcNow < deadline) await Task.Delay(20);
        });
        await temporal.RestartAsync();
        string result = "";
        await RunWorkerUntilAsync(temporal.Client, "dur2", async () => result = await temporal.Client.GetWorkflowHandle("dur-retry").GetResultAsync<string>());
        Assert.Equal("ok at attempt 3", result);
        // A restart that forgot attempts would have run attempt 1 (or 2) again.
        Assert.Equal([1, 2, 3], SampleActivities.Attempts[key].ToArray());
    }

    [Fact]
    public async Task A_second_service_on_the_same_data_directory_is_refused_and_names_the_holder()
    {
        await using var temporal = await DurableTemporal.StartAsync();
        var e = await Assert.ThrowsAsync<TemporalJournalException>(() => EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(DataDirectory: temporal.DataDirectory)));
        Assert.Contains("in use by another Temporal service", e.Message);
        Assert.Contains($"pid {Environment.ProcessId}", e.Message);
    }

    [Fact]
    public async Task A_journal_that_is_not_a_database_is_refused_at_start_and_left_untouched()
    {
        using var dir = new TempDirectory("flow-temporal-bad-");
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(dir.Path, "temporal")).FullName, "journal.db");
        File.WriteAllText(path, "these are not the pages you are looking for, padded to more than one page. " + new string('x', 8192));
        var before = File.ReadAllBytes(path);
        var e = await Assert.ThrowsAsync<TemporalJournalException>(() => EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(DataDirectory: dir.Path)));
        Assert.Contains("is damaged", e.Message);
        Assert.Contains("left untouched", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_truncated_journal_is_detected_at_start_never_silently_reset()
    {
        await using (var temporal = await DurableTemporal.StartAsync())
        {
            await RunWorkerUntilAsync(temporal.Client, "dur3", async () =>
            {
                for (var i = 0; i < 40; i++)
                    await temporal.Client.ExecuteWorkflowAsync((GreetingWorkflow w) => w.RunAsync(new string('n', 2000)), new(id: $"dur-trunc-{i}", taskQueue: "dur3"));
            });
            await temporal.Service.DisposeAsync();
            var path = Path.Combine(temporal.DataDirectory, "temporal", "journal.db");
            var length = new FileInfo(path).Length;
            Assert.True(length > 64 * 1024, $"the journal holds the histories ({length} bytes)");
            using (var file = new FileStream(path, FileMode.Open)) file.SetLength(length / 2);
            var e = await Assert.ThrowsAsync<TemporalJournalException>(() => EmbeddedTemporalService.StartAsync(new EmbeddedTemporalOptions(DataDirectory: temporal.DataDirectory)));
            Assert.Contains("is damaged", e.Message);
            Assert.Equal(length / 2, new FileInfo(path).Length);
            // DurableTemporal disposes its service again: give it a healthy one on a fresh directory's worth of nothing.
            File.Delete(path);
            await temporal.RestartAsync();
        }
    }
}
