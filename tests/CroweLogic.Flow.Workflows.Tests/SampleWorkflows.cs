using Temporalio.Activities;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>The workflows the tests register, in one place (worker and replayer use the same list).</summary>
public static class SampleWorkflows
{
    public static IReadOnlyList<Type> All { get; } =
        [typeof(GreetingWorkflow), typeof(RetryWorkflow), typeof(SignalQueryWorkflow), typeof(TimerWorkflow), typeof(ParentWorkflow), typeof(CountdownWorkflow), typeof(CancellableWorkflow), typeof(PatchedWorkflow), typeof(TimeoutWorkflow), typeof(TaggedWorkflow), typeof(HeartbeatTimeoutWorkflow), typeof(AbandoningParentWorkflow), typeof(DeadlineWorkflow), typeof(PatientRetryWorkflow)];

    public static Temporalio.Worker.TemporalWorkerOptions AddTo(Temporalio.Worker.TemporalWorkerOptions options)
    {
        foreach (var type in All) options.AddWorkflow(type);
        return options;
    }
}

public static class SampleActivities
{
    private static int _flaky;

    [Activity]
    public static string Greet(string name) => $"hello, {name}";

    /// <summary>Fails the first two attempts.</summary>
    [Activity]
    public static string Flaky(string key)
    {
        if (Interlocked.Increment(ref _flaky) % 3 != 0) throw new InvalidOperationException($"transient failure for {key}");
        return $"ok after {ActivityExecutionContext.Current.Info.Attempt} attempts";
    }

    /// <summary>Never heartbeats and outlives its start-to-close timeout on the first attempt only.</summary>
    [Activity]
    public static async Task<int> SlowFirstAttemptAsync()
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        if (attempt == 1) await Task.Delay(TimeSpan.FromSeconds(3), ActivityExecutionContext.Current.CancellationToken);
        return attempt;
    }

    /// <summary>Heartbeats once, then goes silent past its heartbeat timeout on the first attempt.</summary>
    [Activity]
    public static async Task<int> GoesSilentAsync()
    {
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt > 1) return context.Info.Attempt;
        context.Heartbeat("alive");
        await Task.Delay(TimeSpan.FromSeconds(5), context.CancellationToken);
        return context.Info.Attempt;
    }

    /// <summary>Every attempt seen by <see cref="FailsBeforeThirdAttempt"/>, by key.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<int>> Attempts { get; } = new();

    /// <summary>Fails attempts 1 and 2, recording each attempt number it sees.</summary>
    [Activity]
    public static string FailsBeforeThirdAttempt(string key)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        Attempts.GetOrAdd(key, _ => new()).Enqueue(attempt);
        if (attempt < 3) throw new InvalidOperationException($"attempt {attempt} fails");
        return $"ok at attempt {attempt}";
    }

    [Activity]
    public static async Task<string> WaitForCancelAsync()
    {
        while (true)
        {
            ActivityExecutionContext.Current.Heartbeat();
            await Task.Delay(50, ActivityExecutionContext.Current.CancellationToken);
        }
    }
}

[Workflow]
public class GreetingWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name) =>
        await Workflow.ExecuteActivityAsync(() => SampleActivities.Greet(name), new() { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

[Workflow]
public class RetryWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync() =>
        await Workflow.ExecuteActivityAsync(() => SampleActivities.Flaky("k"), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10), BackoffCoefficient = 1 },
        });
}

[Workflow]
public class SignalQueryWorkflow
{
    private readonly List<string> _items = [];
    private bool _done;

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => _done);
        return string.Join(",", _items);
    }

    [WorkflowSignal]
    public Task AddAsync(string item)
    {
        _items.Add(item);
        return Task.CompletedTask;
    }

    [WorkflowSignal]
    public Task FinishAsync()
    {
        _done = true;
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public int Count => _items.Count;
}

[Workflow]
public class TimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan sleep)
    {
        var start = Workflow.UtcNow;
        await Workflow.DelayAsync(sleep);
        return $"slept {(Workflow.UtcNow - start).TotalHours:F0} h";
    }
}

[Workflow]
public class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var child = await Workflow.ExecuteChildWorkflowAsync((GreetingWorkflow w) => w.RunAsync(name), new() { Id = $"{Workflow.Info.WorkflowId}-child" });
        return $"parent got: {child}";
    }
}

[Workflow]
public class CountdownWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int remaining)
    {
        if (remaining > 0) throw Workflow.CreateContinueAsNewException((CountdownWorkflow w) => w.RunAsync(remaining - 1));
        await Task.CompletedTask;
        return Workflow.Info.RunId == Workflow.Info.FirstExecutionRunId ? -1 : 0;
    }
}

[Workflow]
public class CancellableWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        try
        {
            await Workflow.ExecuteActivityAsync(() => SampleActivities.WaitForCancelAsync(), new()
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(1),
                HeartbeatTimeout = TimeSpan.FromSeconds(5),
                CancellationType = ActivityCancellationType.WaitCancellationCompleted,
            });
            return "not cancelled";
        }
        catch (Exception e) when (Temporalio.Exceptions.TemporalException.IsCanceledException(e))
        {
            return "cancelled cleanly";
        }
    }
}

[Workflow]
public class TimeoutWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync() =>
        await Workflow.ExecuteActivityAsync(() => SampleActivities.SlowFirstAttemptAsync(), new()
        {
            StartToCloseTimeout = TimeSpan.FromMilliseconds(500),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10) },
        });
}

/// <summary>Reports how each deadline ended an activity: one nobody polls for, one whose retries outlive its schedule.</summary>
[Workflow]
public class DeadlineWorkflow
{
    public const string UnpolledQueue = "nobody-polls-this-queue";

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var outcomes = new List<string>
        {
            await OutcomeAsync(Workflow.ExecuteActivityAsync(() => SampleActivities.Greet("unpolled"), new()
            {
                TaskQueue = UnpolledQueue,
                ScheduleToStartTimeout = TimeSpan.FromMilliseconds(300),
                StartToCloseTimeout = TimeSpan.FromSeconds(10),
            })),
            await OutcomeAsync(Workflow.ExecuteActivityAsync(() => SampleActivities.SlowFirstAttemptAsync(), new()
            {
                ScheduleToCloseTimeout = TimeSpan.FromMilliseconds(600),
                StartToCloseTimeout = TimeSpan.FromSeconds(10),
                RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10) },
            })),
        };
        return string.Join(",", outcomes);
    }

    private static async Task<string> OutcomeAsync<T>(Task<T> activity)
    {
        try
        {
            return $"completed {await activity}";
        }
        catch (Temporalio.Exceptions.ActivityFailureException e) when (e.InnerException is Temporalio.Exceptions.TimeoutFailureException timeout)
        {
            return $"{timeout.TimeoutType} after {e.RetryState}";
        }
    }
}

[Workflow]
public class HeartbeatTimeoutWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync() =>
        await Workflow.ExecuteActivityAsync(() => SampleActivities.GoesSilentAsync(), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(400),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10) },
        });
}

[Workflow]
public class AbandoningParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.StartChildWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new() { Id = "orphan-terminated", ParentClosePolicy = ParentClosePolicy.Terminate });
        await Workflow.StartChildWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new() { Id = "orphan-abandoned", ParentClosePolicy = ParentClosePolicy.Abandon });
        return "parent done";
    }
}

[Workflow]
public class TaggedWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        Workflow.UpsertMemo(MemoUpdate.ValueSet("stage", "scored"));
        await Task.CompletedTask;
        return "tagged";
    }
}

[Workflow]
public class PatchedWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Task.CompletedTask;
        return Workflow.Patched("new-pricing") ? "patched" : "original";
    }
}

/// <summary>An activity that fails twice with a back-off long enough (5 s) for a test to restart the service inside it.</summary>
[Workflow]
public class PatientRetryWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string key) =>
        await Workflow.ExecuteActivityAsync(() => SampleActivities.FailsBeforeThirdAttempt(key), new()
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromSeconds(5), BackoffCoefficient = 1, MaximumAttempts = 3 },
        });
}
