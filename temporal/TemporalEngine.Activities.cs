using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    private void ScheduleActivity(WorkflowRun run, ScheduleActivityTaskCommandAttributes a, long completedId)
    {
        // Server-side timeout normalisation: schedule-to-close bounds the rest; start-to-close defaults to it.
        var scheduleToClose = Positive(a.ScheduleToCloseTimeout);
        var startToClose = Positive(a.StartToCloseTimeout) ?? scheduleToClose;
        if (startToClose is null) throw RpcErrors.InvalidArgument($"activity {a.ActivityId}: a start-to-close or schedule-to-close timeout is required");
        var retry = a.RetryPolicy?.Clone() ?? new RetryPolicy();
        if (Positive(retry.InitialInterval) is null) retry.InitialInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));
        if (retry.BackoffCoefficient < 1) retry.BackoffCoefficient = 2;
        if (Positive(retry.MaximumInterval) is null) retry.MaximumInterval = Duration.FromTimeSpan(retry.InitialInterval.ToTimeSpan() * 100);
        var e = NewEvent(EventType.ActivityTaskScheduled);
        e.ActivityTaskScheduledEventAttributes = new()
        {
            ActivityId = a.ActivityId,
            ActivityType = a.ActivityType,
            TaskQueue = a.TaskQueue is { Name.Length: > 0 } ? a.TaskQueue : new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            Header = a.Header,
            Input = a.Input,
            ScheduleToCloseTimeout = scheduleToClose,
            ScheduleToStartTimeout = Positive(a.ScheduleToStartTimeout) ?? scheduleToClose,
            StartToCloseTimeout = startToClose,
            HeartbeatTimeout = a.HeartbeatTimeout,
            WorkflowTaskCompletedEventId = completedId,
            RetryPolicy = retry,
        };
        Append(run, e);
        var activity = new ActivityState { ScheduledEventId = e.EventId, Attributes = e.ActivityTaskScheduledEventAttributes, RetryPolicy = retry, ScheduledTime = Now, CurrentAttemptScheduledTime = Now };
        run.Activities[e.EventId] = activity;
        OfferActivity(run, activity);
        var runId = run.RunId;
        if (scheduleToClose is { } s) Clock.At(Now + s.ToTimeSpan(), () => TimeOutActivity(runId, activity.ScheduledEventId, -1, TimeoutType.ScheduleToClose));
    }

    private static Duration? Positive(Duration? d) => d is not null && d.ToTimeSpan() > TimeSpan.Zero ? d : null;

    private void OfferActivity(WorkflowRun run, ActivityState activity)
    {
        activity.Token++;
        Touch(run);
        ActivityQueue(run.Namespace, activity.Attributes.TaskQueue.Name).Offer(new WorkItem('a', run.RunId, activity.ScheduledEventId, activity.Token));
        var token = activity.Token;
        if (Positive(activity.Attributes.ScheduleToStartTimeout) is { } s && activity.Attempt == 1)
            Clock.At(Now + s.ToTimeSpan(), () => TimeOutActivity(run.RunId, activity.ScheduledEventId, token, TimeoutType.ScheduleToStart));
    }

    public async Task<PollActivityTaskQueueResponse> PollActivityTaskAsync(PollActivityTaskQueueRequest request, CancellationToken cancellationToken)
    {
        RecordPoller(request.Namespace, request.TaskQueue?.Name ?? "", TaskQueueType.Activity, request.Identity);
        return await LongPollAsync(_activityQueues, request.Namespace, request.TaskQueue?.Name ?? "", item => DispatchActivity(item, request.Identity), cancellationToken).ConfigureAwait(false)
            ?? new PollActivityTaskQueueResponse();
    }

    private PollActivityTaskQueueResponse? DispatchActivity(WorkItem item, string identity)
    {
        if (!_runs.TryGetValue(item.RunId, out var run) || !run.IsOpen || !run.Activities.TryGetValue(item.EventId, out var activity) || activity.Started || activity.Token != item.Generation) return null;
        activity.Started = true;
        activity.StartedTime = activity.LastHeartbeat = Now;
        activity.Identity = identity;
        Touch(run);
        _inFlight++;
        var token = activity.Token;
        var a = activity.Attributes;
        Clock.At(Now + a.StartToCloseTimeout.ToTimeSpan(), () => TimeOutActivity(run.RunId, activity.ScheduledEventId, token, TimeoutType.StartToClose));
        if (Positive(a.HeartbeatTimeout) is { } heartbeat) ScheduleHeartbeatCheck(run.RunId, activity.ScheduledEventId, token, heartbeat.ToTimeSpan());
        return new PollActivityTaskQueueResponse
        {
            TaskToken = new TaskToken('a', run.RunId, activity.ScheduledEventId, token).Encode(),
            WorkflowNamespace = run.Namespace,
            WorkflowType = run.Type,
            WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            ActivityType = a.ActivityType,
            ActivityId = a.ActivityId,
            Header = a.Header,
            Input = a.Input,
            HeartbeatDetails = activity.HeartbeatDetails,
            ScheduledTime = Timestamp.FromDateTime(activity.ScheduledTime),
            CurrentAttemptScheduledTime = Timestamp.FromDateTime(activity.CurrentAttemptScheduledTime),
            StartedTime = Timestamp.FromDateTime(activity.StartedTime),
            Attempt = activity.Attempt,
            ScheduleToCloseTimeout = a.ScheduleToCloseTimeout,
            StartToCloseTimeout = a.StartToCloseTimeout,
            HeartbeatTimeout = a.HeartbeatTimeout,
            RetryPolicy = activity.RetryPolicy,
        };
    }

    private void ScheduleHeartbeatCheck(string runId, long scheduledId, int token, TimeSpan timeout)
    {
        Clock.At(Now + timeout, () =>
        {
            using (Guard())
            {
                if (!TryActivity(runId, scheduledId, token, out var run, out var activity)) return;
                if (Now - activity.LastHeartbeat >= timeout) TimeOutActivityLocked(run, activity, TimeoutType.Heartbeat);
                else ScheduleHeartbeatCheck(runId, scheduledId, token, activity.LastHeartbeat + timeout - Now);
            }
        });
    }

    private bool TryActivity(string runId, long scheduledId, int token, out WorkflowRun run, out ActivityState activity)
    {
        activity = null!;
        return _runs.TryGetValue(runId, out run!) && run.IsOpen && run.Activities.TryGetValue(scheduledId, out activity!) && (token < 0 || (activity.Token == token && activity.Started));
    }

    private (WorkflowRun Run, ActivityState Activity) StartedActivity(Google.Protobuf.ByteString token)
    {
        var decoded = TaskToken.Decode(token);
        if (decoded.Kind != 'a' || !TryActivity(decoded.RunId, decoded.EventId, decoded.Generation, out var run, out var activity))
            throw RpcErrors.NotFound("activity task not found (it timed out, was cancelled, or its workflow closed)");
        return (run, activity);
    }

    public RecordActivityTaskHeartbeatResponse Heartbeat(RecordActivityTaskHeartbeatRequest request)
    {
        using (Guard())
        {
            var (run, activity) = StartedActivity(request.TaskToken);
            activity.LastHeartbeat = Now;
            activity.HeartbeatDetails = request.Details;
            Touch(run);
            return new RecordActivityTaskHeartbeatResponse { CancelRequested = activity.CancelRequested };
        }
    }

    public void CompleteActivity(RespondActivityTaskCompletedRequest request)
    {
        using (Guard())
        {
            var (run, activity) = StartedActivity(request.TaskToken);
            var started = StartedEvent(run, activity, request.Identity);
            var e = NewEvent(EventType.ActivityTaskCompleted);
            e.ActivityTaskCompletedEventAttributes = new() { Result = request.Result, ScheduledEventId = activity.ScheduledEventId, Identity = request.Identity };
            FinishActivity(run, activity, started, e);
        }
    }

    public void FailActivity(RespondActivityTaskFailedRequest request)
    {
        using (Guard())
        {
            var (run, activity) = StartedActivity(request.TaskToken);
            if (request.LastHeartbeatDetails is not null) activity.HeartbeatDetails = request.LastHeartbeatDetails;
            FailAttempt(run, activity, request.Failure, request.Identity, timeout: null);
        }
    }

    public void CancelActivityAttempt(RespondActivityTaskCanceledRequest request)
    {
        using (Guard())
        {
            var (run, activity) = StartedActivity(request.TaskToken);
            var started = StartedEvent(run, activity, request.Identity);
            var e = NewEvent(EventType.ActivityTaskCanceled);
            e.ActivityTaskCanceledEventAttributes = new() { Details = request.Details, ScheduledEventId = activity.ScheduledEventId, LatestCancelRequestedEventId = activity.CancelRequestedEventId, Identity = request.Identity };
            FinishActivity(run, activity, started, e);
        }
    }

    private HistoryEvent StartedEvent(WorkflowRun run, ActivityState activity, string identity)
    {
        var started = NewEvent(EventType.ActivityTaskStarted);
        started.ActivityTaskStartedEventAttributes = new() { ScheduledEventId = activity.ScheduledEventId, Identity = identity, RequestId = Guid.NewGuid().ToString(), Attempt = activity.Attempt, LastFailure = activity.LastFailure };
        return started;
    }

    // Started and the outcome go to history together (as the real server does for retried activities), through the
    // buffer: AppendBuffered gives the outcome the started event's id, now or after the workflow task in flight.
    private void FinishActivity(WorkflowRun run, ActivityState activity, HistoryEvent started, HistoryEvent outcome)
    {
        if (activity.Started) _inFlight--;
        activity.Started = false;
        run.Activities.Remove(activity.ScheduledEventId);
        run.Buffered.Add(started);
        run.Buffered.Add(outcome);
        Touch(run);
        if (!run.WorkflowTaskInFlight) FlushBuffered(run);
        Clock.Nudge();
    }

    private void FailAttempt(WorkflowRun run, ActivityState activity, Failure? failure, string identity, TimeoutType? timeout)
    {
        var policy = activity.RetryPolicy;
        var nonRetryable = failure?.ApplicationFailureInfo is { } app && (app.NonRetryable || policy.NonRetryableErrorTypes.Contains(app.Type));
        var attemptsLeft = policy.MaximumAttempts <= 0 || activity.Attempt < policy.MaximumAttempts;
        var backoff = TimeSpan.FromTicks((long)Math.Min(policy.MaximumInterval.ToTimeSpan().Ticks, policy.InitialInterval.ToTimeSpan().Ticks * Math.Pow(policy.BackoffCoefficient, activity.Attempt - 1)));
        var withinDeadline = Positive(activity.Attributes.ScheduleToCloseTimeout) is not { } s || Now + backoff < activity.ScheduledTime + s.ToTimeSpan();
        if (!nonRetryable && attemptsLeft && withinDeadline && timeout is not TimeoutType.ScheduleToStart and not TimeoutType.ScheduleToClose)
        {
            if (activity.Started) _inFlight--;
            activity.Started = false;
            activity.Attempt++;
            activity.LastFailure = failure;
            activity.RetryDue = Now + backoff;
            Touch(run);
            ScheduleRetry(run.RunId, activity.ScheduledEventId, activity.RetryDue.Value);
            Clock.Nudge();
            return;
        }
        var retryState = nonRetryable ? RetryState.NonRetryableFailure : !attemptsLeft ? RetryState.MaximumAttemptsReached : !withinDeadline ? RetryState.Timeout : RetryState.Timeout;
        var started = StartedEvent(run, activity, identity);
        if (timeout is { } type)
        {
            var e = NewEvent(EventType.ActivityTaskTimedOut);
            e.ActivityTaskTimedOutEventAttributes = new()
            {
                Failure = new Failure { Message = $"activity {type} timeout", TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = type, LastHeartbeatDetails = activity.HeartbeatDetails }, Cause = failure },
                ScheduledEventId = activity.ScheduledEventId,
                RetryState = retryState,
            };
            FinishActivity(run, activity, started, e);
        }
        else
        {
            var e = NewEvent(EventType.ActivityTaskFailed);
            e.ActivityTaskFailedEventAttributes = new() { Failure = failure, ScheduledEventId = activity.ScheduledEventId, Identity = identity, RetryState = retryState };
            FinishActivity(run, activity, started, e);
        }
    }

    // The next attempt goes out when its back-off ends (also re-armed from the journal after a restart).
    private void ScheduleRetry(string runId, long scheduledId, DateTime due) => Clock.At(due, () =>
    {
        using (Guard())
        {
            if (!_runs.TryGetValue(runId, out var r) || !r.IsOpen || !r.Activities.TryGetValue(scheduledId, out var a) || a.Started || a.RetryDue is null) return;
            a.RetryDue = null;
            a.CurrentAttemptScheduledTime = Now;
            OfferActivity(r, a);
        }
    });

    private void TimeOutActivity(string runId, long scheduledId, int token, TimeoutType type)
    {
        using (Guard())
        {
            if (!_runs.TryGetValue(runId, out var run) || !run.IsOpen || !run.Activities.TryGetValue(scheduledId, out var activity)) return;
            if (type == TimeoutType.StartToClose && (!activity.Started || activity.Token != token)) return;
            if (type == TimeoutType.ScheduleToStart && (activity.Started || activity.Token != token || activity.Attempt != 1)) return;
            TimeOutActivityLocked(run, activity, type);
        }
    }

    private void TimeOutActivityLocked(WorkflowRun run, ActivityState activity, TimeoutType type) =>
        FailAttempt(run, activity, new Failure { Message = $"activity {type} timeout", TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = type } }, activity.Identity, type);

    private void CancelActivity(WorkflowRun run, long scheduledId, long completedId)
    {
        if (!run.Activities.TryGetValue(scheduledId, out var activity)) return;
        var requested = NewEvent(EventType.ActivityTaskCancelRequested);
        requested.ActivityTaskCancelRequestedEventAttributes = new() { ScheduledEventId = scheduledId, WorkflowTaskCompletedEventId = completedId };
        Append(run, requested);
        activity.CancelRequested = true;
        activity.CancelRequestedEventId = requested.EventId;
        if (activity.Started) return; // the worker learns it from its next heartbeat
        run.Activities.Remove(scheduledId);
        var canceled = NewEvent(EventType.ActivityTaskCanceled);
        canceled.ActivityTaskCanceledEventAttributes = new() { ScheduledEventId = scheduledId, LatestCancelRequestedEventId = requested.EventId };
        Append(run, canceled);
    }
}
