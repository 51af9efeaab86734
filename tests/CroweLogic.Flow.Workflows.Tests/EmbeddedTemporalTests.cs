using CroweLogic.Flow.Temporal;
using Temporalio.Client;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>The in-process Temporal service driven by the real Temporal .NET SDK client and worker.</summary>
public class EmbeddedTemporalTests
{
    internal static async Task<T> WithWorkerAsync<T>(DurableTemporal service, string queue, Func<TemporalClient, Task<T>> body)
    {
        using var worker = new TemporalWorker(service.Client, SampleWorkflows.AddTo(new TemporalWorkerOptions(queue)).AddAllActivities(typeof(SampleActivities), null));
        return await worker.ExecuteAsync(() => body(service.Client));
    }

    [Fact]
    public async Task A_workflow_runs_an_activity_and_returns_its_result()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q1", client =>
            client.ExecuteWorkflowAsync((GreetingWorkflow w) => w.RunAsync("flow"), new(id: "greet-1", taskQueue: "q1")));
        Assert.Equal("hello, flow", result);
    }

    [Fact]
    public async Task Failed_activities_are_retried_with_backoff_until_they_succeed()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q2", client => client.ExecuteWorkflowAsync((RetryWorkflow w) => w.RunAsync(), new(id: "retry-1", taskQueue: "q2")));
        Assert.Equal("ok after 3 attempts", result);
    }

    [Fact]
    public async Task Signals_are_delivered_and_queries_answered()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q3", async client =>
        {
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "sq-1", taskQueue: "q3"));
            await handle.SignalAsync(w => w.AddAsync("a"));
            await handle.SignalAsync(w => w.AddAsync("b"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await handle.QueryAsync(w => w.Count) < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(2, await handle.QueryAsync(w => w.Count));
            await handle.SignalAsync(w => w.FinishAsync());
            return await handle.GetResultAsync();
        });
        Assert.Equal("a,b", result);
    }

    [Fact]
    public async Task Signal_with_start_starts_once_and_signals_the_running_workflow()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q4", async client =>
        {
            var options = new WorkflowOptions(id: "sws-1", taskQueue: "q4");
            options.SignalWithStart((SignalQueryWorkflow w) => w.AddAsync("first"));
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), options);
            var again = new WorkflowOptions(id: "sws-1", taskQueue: "q4") { IdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.UseExisting };
            again.SignalWithStart((SignalQueryWorkflow w) => w.AddAsync("second"));
            var second = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), again);
            Assert.Equal(handle.ResultRunId, second.ResultRunId);
            await handle.SignalAsync(w => w.FinishAsync());
            return await handle.GetResultAsync();
        });
        Assert.Equal("first,second", result);
    }

    [Fact]
    public async Task Timers_fire_and_time_skipping_makes_long_sleeps_instant()
    {
        await using var service = await DurableTemporal.StartAsync(timeSkipping: true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await WithWorkerAsync(service, "q5", client => client.ExecuteWorkflowAsync((TimerWorkflow w) => w.RunAsync(TimeSpan.FromDays(7)), new(id: "timer-1", taskQueue: "q5")));
        Assert.Equal("slept 168 h", result);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.True(service.SkippedTime >= TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Child_workflows_run_and_report_to_their_parent()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q6", client => client.ExecuteWorkflowAsync((ParentWorkflow w) => w.RunAsync("kid"), new(id: "parent-1", taskQueue: "q6")));
        Assert.Equal("parent got: hello, kid", result);
        var child = await service.Client.GetWorkflowHandle("parent-1-child").DescribeAsync();
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Completed, child.Status);
    }

    [Fact]
    public async Task Continue_as_new_chains_runs_and_the_result_follows_them()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q7", client => client.ExecuteWorkflowAsync((CountdownWorkflow w) => w.RunAsync(3), new(id: "count-1", taskQueue: "q7")));
        Assert.Equal(0, result);
        var runs = new List<string>();
        await foreach (var execution in service.Client.ListWorkflowsAsync("WorkflowId = 'count-1'")) runs.Add(execution.Status.ToString());
        Assert.Equal(4, runs.Count);
        Assert.Equal(3, runs.Count(s => s == "ContinuedAsNew"));
    }

    [Fact]
    public async Task Cancelling_a_workflow_cancels_its_heartbeating_activity()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q8", async client =>
        {
            var handle = await client.StartWorkflowAsync((CancellableWorkflow w) => w.RunAsync(), new(id: "cancel-1", taskQueue: "q8"));
            await Task.Delay(500);
            await handle.CancelAsync();
            return await handle.GetResultAsync();
        });
        Assert.Equal("cancelled cleanly", result);
    }

    [Fact]
    public async Task Termination_closes_the_workflow_and_a_duplicate_start_is_refused()
    {
        await using var service = await DurableTemporal.StartAsync();
        await WithWorkerAsync(service, "q9", async client =>
        {
            var handle = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "term-1", taskQueue: "q9"));
            await Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowAlreadyStartedException>(() =>
                client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "term-1", taskQueue: "q9")));
            await handle.TerminateAsync("operator stop");
            var failure = await Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowFailedException>(() => handle.GetResultAsync());
            Assert.IsType<Temporalio.Exceptions.TerminatedFailureException>(failure.InnerException);
            var description = await handle.DescribeAsync();
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Terminated, description.Status);
            var reuse = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "term-1", taskQueue: "q9") { IdReusePolicy = Temporalio.Api.Enums.V1.WorkflowIdReusePolicy.RejectDuplicate }).ContinueWith(t => t.Exception?.InnerException);
            Assert.IsType<Temporalio.Exceptions.WorkflowAlreadyStartedException>(reuse);
            return 0;
        });
    }

    [Fact]
    public async Task Patches_are_recorded_as_markers()
    {
        await using var service = await DurableTemporal.StartAsync();
        var result = await WithWorkerAsync(service, "q10", client => client.ExecuteWorkflowAsync((PatchedWorkflow w) => w.RunAsync(), new(id: "patch-1", taskQueue: "q10")));
        Assert.Equal("patched", result);
        var history = await service.Client.GetWorkflowHandle("patch-1").FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == Temporalio.Api.Enums.V1.EventType.MarkerRecorded);
    }

    [Fact]
    public async Task An_attempt_past_its_start_to_close_timeout_is_retried()
    {
        await using var service = await DurableTemporal.StartAsync();
        var attempt = await WithWorkerAsync(service, "q11", client => client.ExecuteWorkflowAsync((TimeoutWorkflow w) => w.RunAsync(), new(id: "timeout-1", taskQueue: "q11")));
        Assert.Equal(2, attempt);
        var history = await service.Client.GetWorkflowHandle("timeout-1").FetchHistoryAsync();
        var started = history.Events.Single(e => e.EventType == Temporalio.Api.Enums.V1.EventType.ActivityTaskStarted);
        Assert.Equal(2, started.ActivityTaskStartedEventAttributes.Attempt);
        Assert.Equal("activity StartToClose timeout", started.ActivityTaskStartedEventAttributes.LastFailure.Message);
    }

    [Fact]
    public async Task Schedule_to_start_and_schedule_to_close_deadlines_end_activities_as_timeouts()
    {
        await using var service = await DurableTemporal.StartAsync();
        var outcome = await WithWorkerAsync(service, "q-deadline", client => client.ExecuteWorkflowAsync((DeadlineWorkflow w) => w.RunAsync(), new(id: "deadline-1", taskQueue: "q-deadline")));
        // Nobody polled the first queue: a schedule-to-start timeout is final. The second activity's first attempt
        // outlived the schedule-to-close deadline: final too, however many attempts the policy would allow.
        Assert.Equal("ScheduleToStart after Timeout,ScheduleToClose after Timeout", outcome);
        var history = await service.Client.GetWorkflowHandle("deadline-1").FetchHistoryAsync();
        var timeouts = history.Events.Where(e => e.EventType == Temporalio.Api.Enums.V1.EventType.ActivityTaskTimedOut)
            .Select(e => e.ActivityTaskTimedOutEventAttributes.Failure.TimeoutFailureInfo.TimeoutType).ToList();
        Assert.Equal([Temporalio.Api.Enums.V1.TimeoutType.ScheduleToStart, Temporalio.Api.Enums.V1.TimeoutType.ScheduleToClose], timeouts);
    }

    [Fact]
    public async Task Memo_and_search_attributes_are_kept_and_listing_filters_on_them()
    {
        await using var service = await DurableTemporal.StartAsync();
        await WithWorkerAsync(service, "q12", async client =>
        {
            var key = Temporalio.Common.SearchAttributeKey.CreateKeyword("Desk");
            var options = new WorkflowOptions(id: "tag-1", taskQueue: "q12")
            {
                Memo = new Dictionary<string, object> { ["owner"] = "quant-team" },
                TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder().Set(key, "rates").ToSearchAttributeCollection(),
            };
            await client.ExecuteWorkflowAsync((TaggedWorkflow w) => w.RunAsync(), options);
            await client.ExecuteWorkflowAsync((GreetingWorkflow w) => w.RunAsync("x"), new(id: "other-1", taskQueue: "q12"));
            var description = await client.GetWorkflowHandle("tag-1").DescribeAsync();
            Assert.Equal("quant-team", await description.Memo["owner"].ToValueAsync<string>());
            Assert.Equal("scored", await description.Memo["stage"].ToValueAsync<string>());
            var rates = new List<string>();
            await foreach (var w in client.ListWorkflowsAsync("Desk = 'rates' AND ExecutionStatus = 'Completed'")) rates.Add(w.Id);
            Assert.Equal(["tag-1"], rates);
            var greetings = new List<string>();
            await foreach (var w in client.ListWorkflowsAsync("WorkflowType = 'GreetingWorkflow'")) greetings.Add(w.Id);
            Assert.Equal(["other-1"], greetings);
            var bad = await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(async () => { await foreach (var _ in client.ListWorkflowsAsync("StartTime > '2020'")) { } });
            Assert.Contains("cannot parse", bad.Message);
            return 0;
        });
    }

    [Fact]
    public async Task Conflict_policies_use_or_terminate_the_running_workflow()
    {
        await using var service = await DurableTemporal.StartAsync();
        await WithWorkerAsync(service, "q13", async client =>
        {
            var first = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "conflict-1", taskQueue: "q13"));
            var reused = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(),
                new(id: "conflict-1", taskQueue: "q13") { IdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.UseExisting });
            Assert.Equal(first.ResultRunId, reused.ResultRunId);
            var replaced = await client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(),
                new(id: "conflict-1", taskQueue: "q13") { IdConflictPolicy = Temporalio.Api.Enums.V1.WorkflowIdConflictPolicy.TerminateExisting });
            Assert.NotEqual(first.ResultRunId, replaced.ResultRunId);
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Terminated, (await client.GetWorkflowHandle("conflict-1", runId: first.ResultRunId).DescribeAsync()).Status);
            await replaced.TerminateAsync();
            return 0;
        });
    }

    [Fact]
    public async Task A_silent_activity_times_out_on_its_heartbeat_and_is_retried()
    {
        await using var service = await DurableTemporal.StartAsync();
        var attempt = await WithWorkerAsync(service, "q14", client => client.ExecuteWorkflowAsync((HeartbeatTimeoutWorkflow w) => w.RunAsync(), new(id: "hb-1", taskQueue: "q14")));
        Assert.Equal(2, attempt);
        var history = await service.Client.GetWorkflowHandle("hb-1").FetchHistoryAsync();
        var started = history.Events.Single(e => e.EventType == Temporalio.Api.Enums.V1.EventType.ActivityTaskStarted);
        Assert.Equal(Temporalio.Api.Enums.V1.TimeoutType.Heartbeat, started.ActivityTaskStartedEventAttributes.LastFailure.TimeoutFailureInfo.TimeoutType);
    }

    [Fact]
    public async Task Parent_close_policies_terminate_or_abandon_children()
    {
        await using var service = await DurableTemporal.StartAsync();
        await WithWorkerAsync(service, "q15", async client =>
        {
            Assert.Equal("parent done", await client.ExecuteWorkflowAsync((AbandoningParentWorkflow w) => w.RunAsync(), new(id: "pcp-1", taskQueue: "q15")));
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Terminated, (await client.GetWorkflowHandle("orphan-terminated").DescribeAsync()).Status);
            Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running, (await client.GetWorkflowHandle("orphan-abandoned").DescribeAsync()).Status);
            await client.GetWorkflowHandle("orphan-abandoned").TerminateAsync();
            return 0;
        });
    }
}
