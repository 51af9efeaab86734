using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>
/// The determinism guard: every recorded history under Histories/ (recorded from the in-process service by
/// <see cref="Record_histories"/>, committed) must replay on the current workflow code. Reordering a workflow's
/// commands makes this fail, as the last test demonstrates with a deliberately changed workflow.
/// </summary>
public class ReplayTests
{
    private static string HistoryDirectory => Path.Combine(AppContext.BaseDirectory, "Histories");

    private static IEnumerable<WorkflowHistory> Recorded() =>
        Directory.GetFiles(HistoryDirectory, "*.json").Order().Select(f => WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)));

    internal static WorkflowReplayerOptions Options(params Type[] workflows)
    {
        var options = new WorkflowReplayerOptions();
        foreach (var type in workflows) options.AddWorkflow(type);
        return options;
    }

    [Fact]
    public async Task Every_recorded_history_replays_on_the_current_workflows()
    {
        var histories = Recorded().ToList();
        Assert.True(histories.Count >= SampleWorkflows.All.Count + FlowWorkflows.All.Count, $"only {histories.Count} recorded histories");
        // Every governance workflow type has at least one committed history (recorded with FLOW_RECORD_HISTORIES, see GovernanceHarness).
        var types = histories.Select(h => h.Events.First().WorkflowExecutionStartedEventAttributes.WorkflowType.Name).ToHashSet();
        Assert.All(FlowWorkflows.All, t => Assert.Contains(Temporalio.Workflows.WorkflowDefinition.Create(t).Name!, types));
        var replayer = new WorkflowReplayer(Options([.. SampleWorkflows.All, .. FlowWorkflows.All]));
        foreach (var history in histories)
        {
            var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            Assert.True(result.ReplayFailure is null, $"{history.Id}: {result.ReplayFailure}");
        }
    }

    [Fact]
    public async Task Changing_the_command_order_is_caught()
    {
        var greeting = Recorded().Single(h => h.Id == "rec-greeting");
        var replayer = new WorkflowReplayer(Options(typeof(ReorderedGreetingWorkflow)));
        var result = await replayer.ReplayWorkflowAsync(greeting, throwOnReplayFailure: false);
        Assert.NotNull(result.ReplayFailure);
        Assert.Contains("nondetermin", result.ReplayFailure!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Re-records the committed histories (run by hand after an intended workflow change): dotnet test --filter Record_histories -- xunit.explicit=on.</summary>
    [Fact(Explicit = true)]
    public async Task Record_histories()
    {
        await using var service = await DurableTemporal.StartAsync(timeSkipping: true);
        var target = Path.Combine(FindSourceDirectory(), "Histories");
        Directory.CreateDirectory(target);
        await EmbeddedTemporalTests.WithWorkerAsync(service, "record", async client =>
        {
            async Task Save(string id)
            {
                var history = await client.GetWorkflowHandle(id).FetchHistoryAsync();
                await File.WriteAllTextAsync(Path.Combine(target, $"{id}.json"), history.ToJson()); // the file name is the workflow ID replay needs
            }
            await client.ExecuteWorkflowAsync((GreetingWorkflow w) => w.RunAsync("replay"), new(id: "rec-greeting", taskQueue: "record"));
            await Save("rec-greeting");
            await client.ExecuteWorkflowAsync((RetryWorkflow w) => w.RunAsync(), new(id: "rec-retry", taskQueue: "record"));
            await Save("rec-retry");
            var sq = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "rec-sq", taskQueue: "record"));
            await sq.SignalAsync(w => w.AddAsync("x"));
            await sq.SignalAsync(w => w.FinishAsync());
            await sq.GetResultAsync();
            await Save("rec-sq");
            await client.ExecuteWorkflowAsync((TimerWorkflow w) => w.RunAsync(TimeSpan.FromHours(1)), new(id: "rec-timer", taskQueue: "record"));
            await Save("rec-timer");
            await client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("x"), new(id: "rec-parent", taskQueue: "record"));
            await Save("rec-parent");
            await client.ExecuteWorkflowAsync((CountdownWorkflow w) => w.RunAsync(1), new(id: "rec-count", taskQueue: "record"));
            await Save("rec-count");
            var cancel = await client.StartWorkflowAsync((CancellableWorkflow w) => w.RunAsync(), new(id: "rec-cancel", taskQueue: "record"));
            await Task.Delay(300);
            await cancel.CancelAsync();
            await cancel.GetResultAsync();
            await Save("rec-cancel");
            await client.ExecuteWorkflowAsync((PatchedWorkflow w) => w.RunAsync(), new(id: "rec-patch", taskQueue: "record"));
            await Save("rec-patch");
            await client.ExecuteWorkflowAsync((TimeoutWorkflow w) => w.RunAsync(), new(id: "rec-timeout", taskQueue: "record"));
            await Save("rec-timeout");
            await client.ExecuteWorkflowAsync((TaggedWorkflow w) => w.RunAsync(), new(id: "rec-tagged", taskQueue: "record"));
            await Save("rec-tagged");
            await client.ExecuteWorkflowAsync((HeartbeatTimeoutWorkflow w) => w.RunAsync(), new(id: "rec-heartbeat", taskQueue: "record"));
            await Save("rec-heartbeat");
            await client.ExecuteWorkflowAsync((AbandoningParentWorkflow w) => w.RunAsync(), new(id: "rec-abandon", taskQueue: "record"));
            await Save("rec-abandon");
            await client.GetWorkflowHandle("orphan-abandoned").TerminateAsync();
            await client.ExecuteWorkflowAsync((DeadlineWorkflow w) => w.RunAsync(), new(id: "rec-deadline", taskQueue: "record"));
            await Save("rec-deadline");
            return 0;
        });
    }

    private static string FindSourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "CroweLogic.Flow.Workflows.Tests");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/CroweLogic.Flow.Workflows.Tests not found");
    }
}

/// <summary>GreetingWorkflow with its commands reordered (a timer before the activity): must not replay the recorded history.</summary>
[Workflow("GreetingWorkflow")]
public class ReorderedGreetingWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        await Workflow.DelayAsync(TimeSpan.FromSeconds(1));
        return await Workflow.ExecuteActivityAsync(() => SampleActivities.Greet(name), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
    }
}
