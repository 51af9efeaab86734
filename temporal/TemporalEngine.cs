using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using CroweLogic.Flow.Temporal.Journal;

namespace CroweLogic.Flow.Temporal;

/// <summary>
/// The service's state machine: workflow runs and their histories, workflow and activity task queues with long
/// polls, timers on a (skippable) virtual clock. All state changes happen under one lock; waits happen outside it.
/// </summary>
internal sealed partial class TemporalEngine : IAsyncDisposable
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(50);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkflowRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string WorkflowId), List<WorkflowRun>> _executions = [];
    private readonly Dictionary<(string Namespace, string Queue), TaskQueue<WorkItem>> _workflowQueues = [];
    private readonly Dictionary<(string Namespace, string Queue), TaskQueue<WorkItem>> _activityQueues = [];
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal) { "default" };
    private int _inFlight;
    private long _taskId;

    /// <param name="timeSkipping">Jump the clock to the next timer when nothing is runnable (tests).</param>
    /// <param name="journal">Where state is made durable; null keeps everything in memory.</param>
    /// <param name="retention">How long closed runs are kept in the journal.</param>
    public TemporalEngine(bool timeSkipping, TemporalJournal? journal = null, TimeSpan? retention = null)
    {
        Clock = new VirtualClock(timeSkipping ? IsIdle : null);
        _journal = journal;
        Retention = retention ?? DefaultRetention;
        if (journal is not null) Restore(journal.Load(Retention));
    }

    public VirtualClock Clock { get; }

    private DateTime Now => Clock.UtcNow;

    /// <summary>A unit of work on a task queue: a workflow task, a legacy query, or an activity attempt.</summary>
    internal sealed record WorkItem(char Kind, string RunId, long EventId, int Generation, string QueryId = "");

    public ValueTask DisposeAsync() => Clock.DisposeAsync();

    // Idle: nothing queued and nothing handed out, so only timers can move the workflows forward.
    private bool IsIdle()
    {
        lock (_gate) return _inFlight == 0 && _workflowQueues.Values.All(q => q.Backlog == 0) && _activityQueues.Values.All(q => q.Backlog == 0);
    }

    public bool NamespaceExists(string name)
    {
        lock (_gate) return _namespaces.Contains(name);
    }

    public void RegisterNamespace(string name)
    {
        using (Guard())
        {
            if (!_namespaces.Add(name)) throw RpcErrors.Create(StatusCode.AlreadyExists, $"namespace {name} already exists", new NamespaceAlreadyExistsFailure());
            _newNamespaces.Add(name);
        }
    }

    // ---- history plumbing ----

    private HistoryEvent NewEvent(EventType type) => new() { EventType = type, EventTime = Timestamp.FromDateTime(Now) };

    private HistoryEvent Append(WorkflowRun run, HistoryEvent e)
    {
        e.EventId = run.NextEventId;
        e.TaskId = ++_taskId;
        run.Events.Add(e);
        Touch(run);
        return e;
    }

    /// <summary>An event from outside the workflow's own decisions: buffered while a workflow task is in flight.</summary>
    private void AddExternal(WorkflowRun run, HistoryEvent e)
    {
        if (!run.IsOpen) return;
        if (run.WorkflowTaskInFlight)
        {
            run.Buffered.Add(e);
            Touch(run);
            return;
        }
        Append(run, e);
        RequestWorkflowTask(run);
    }

    private void RequestWorkflowTask(WorkflowRun run)
    {
        if (!run.IsOpen || run.WorkflowTaskPending || run.WorkflowTaskInFlight) return;
        run.WorkflowTaskPending = true;
        run.Generation++;
        Touch(run);
        WorkflowQueue(run.Namespace, run.TaskQueue).Offer(new WorkItem('w', run.RunId, 0, run.Generation));
    }

    private TaskQueue<WorkItem> WorkflowQueue(string ns, string name) => Queue(_workflowQueues, ns, name);

    private TaskQueue<WorkItem> ActivityQueue(string ns, string name) => Queue(_activityQueues, ns, name);

    private static TaskQueue<WorkItem> Queue(Dictionary<(string, string), TaskQueue<WorkItem>> queues, string ns, string name)
    {
        if (!queues.TryGetValue((ns, name), out var queue)) queues[(ns, name)] = queue = new TaskQueue<WorkItem>();
        return queue;
    }

    private WorkflowRun Run(string ns, WorkflowExecution? execution)
    {
        if (execution is null || execution.WorkflowId.Length == 0) throw RpcErrors.InvalidArgument("a workflow execution with a workflow ID is required");
        if (execution.RunId.Length > 0)
        {
            if (_runs.TryGetValue(execution.RunId, out var byRun) && byRun.WorkflowId == execution.WorkflowId && byRun.Namespace == ns) return byRun;
            throw RpcErrors.NotFound($"workflow execution {execution.WorkflowId}/{execution.RunId} not found");
        }
        if (_executions.TryGetValue((ns, execution.WorkflowId), out var runs)) return runs[^1];
        throw RpcErrors.NotFound($"workflow execution {execution.WorkflowId} not found");
    }

    // ---- start ----

    public StartWorkflowExecutionResponse Start(StartWorkflowExecutionRequest request, (string Namespace, string WorkflowId, string RunId, long InitiatedEventId)? parent = null,
        ParentClosePolicy parentClosePolicy = ParentClosePolicy.Terminate, Action<WorkflowRun>? beforeFirstTask = null)
    {
        using (Guard())
        {
            if (!_namespaces.Contains(request.Namespace)) throw RpcErrors.NotFound($"namespace {request.Namespace} not found");
            if (request.WorkflowId.Length == 0 || request.WorkflowType is null || request.WorkflowType.Name.Length == 0 || request.TaskQueue is null || request.TaskQueue.Name.Length == 0)
                throw RpcErrors.InvalidArgument("workflow ID, workflow type and task queue are required");
            if (request.CronSchedule.Length > 0) throw RpcErrors.Create(StatusCode.Unimplemented, "cron schedules are not supported by the embedded Temporal service (use a real server)");
            if (_executions.TryGetValue((request.Namespace, request.WorkflowId), out var runs))
            {
                var latest = runs[^1];
                if (latest.IsOpen)
                {
                    if (request.RequestId.Length > 0 && latest.RequestId == request.RequestId) return new() { RunId = latest.RunId, Started = false };
                    switch (request.WorkflowIdConflictPolicy)
                    {
                        case WorkflowIdConflictPolicy.UseExisting:
                            beforeFirstTask?.Invoke(latest);
                            return new() { RunId = latest.RunId, Started = false };
                        case WorkflowIdConflictPolicy.TerminateExisting:
                            TerminateLocked(latest, "terminated by a start with conflict policy TerminateExisting", null, "");
                            break;
                        default:
                            if (request.WorkflowIdReusePolicy == WorkflowIdReusePolicy.TerminateIfRunning)
                            {
                                TerminateLocked(latest, "terminated by a start with reuse policy TerminateIfRunning", null, "");
                                break;
                            }
                            throw AlreadyStarted(request, latest);
                    }
                }
                else if (request.WorkflowIdReusePolicy == WorkflowIdReusePolicy.RejectDuplicate
                    || (request.WorkflowIdReusePolicy == WorkflowIdReusePolicy.AllowDuplicateFailedOnly && latest.Status == WorkflowExecutionStatus.Completed))
                    throw AlreadyStarted(request, latest);
            }
            var run = CreateRun(request, parent, parentClosePolicy, continuedFrom: null, firstRunId: null);
            beforeFirstTask?.Invoke(run);
            RequestWorkflowTask(run);
            return new() { RunId = run.RunId, Started = true };
        }
    }

    private static RpcException AlreadyStarted(StartWorkflowExecutionRequest request, WorkflowRun latest) =>
        RpcErrors.Create(StatusCode.AlreadyExists, $"workflow execution {request.WorkflowId} already started (run {latest.RunId})",
            new WorkflowExecutionAlreadyStartedFailure { RunId = latest.RunId, StartRequestId = latest.RequestId });

    private WorkflowRun CreateRun(StartWorkflowExecutionRequest request, (string, string, string, long)? parent, ParentClosePolicy parentClosePolicy, WorkflowRun? continuedFrom, string? firstRunId)
    {
        var runId = Guid.NewGuid().ToString();
        var taskTimeout = request.WorkflowTaskTimeout is { } t && t.ToTimeSpan() > TimeSpan.Zero ? t : Duration.FromTimeSpan(TimeSpan.FromSeconds(10));
        var run = new WorkflowRun
        {
            Namespace = request.Namespace,
            WorkflowId = request.WorkflowId,
            RunId = runId,
            FirstRunId = firstRunId ?? runId,
            Type = request.WorkflowType,
            TaskQueue = request.TaskQueue.Name,
            WorkflowTaskTimeout = taskTimeout,
            StartTime = Now,
            RequestId = request.RequestId,
            Sequence = ++_sequence,
            Memo = request.Memo ?? new Memo(),
            SearchAttributes = request.SearchAttributes ?? new SearchAttributes(),
            Parent = parent,
            ParentClosePolicy = parentClosePolicy,
        };
        var started = NewEvent(EventType.WorkflowExecutionStarted);
        started.WorkflowExecutionStartedEventAttributes = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = request.WorkflowType,
            TaskQueue = new TaskQueue { Name = request.TaskQueue.Name, Kind = TaskQueueKind.Normal },
            Input = request.Input,
            WorkflowExecutionTimeout = request.WorkflowExecutionTimeout,
            WorkflowRunTimeout = request.WorkflowRunTimeout,
            WorkflowTaskTimeout = taskTimeout,
            Identity = request.Identity,
            OriginalExecutionRunId = runId,
            FirstExecutionRunId = run.FirstRunId,
            ContinuedExecutionRunId = continuedFrom?.RunId ?? "",
            Initiator = continuedFrom is null ? ContinueAsNewInitiator.Unspecified : ContinueAsNewInitiator.Workflow,
            Attempt = 1,
            Memo = request.Memo,
            SearchAttributes = request.SearchAttributes,
            Header = request.Header,
            RetryPolicy = request.RetryPolicy,
            LastCompletionResult = request.LastCompletionResult,
            ContinuedFailure = request.ContinuedFailure,
            WorkflowId = request.WorkflowId,
        };
        // The UI's summary and details of the run (static user metadata), kept on its first event as the server does.
        if (request.UserMetadata is { } metadata) started.UserMetadata = metadata;
        if (parent is { } p)
        {
            started.WorkflowExecutionStartedEventAttributes.ParentWorkflowNamespace = p.Item1;
            started.WorkflowExecutionStartedEventAttributes.ParentWorkflowExecution = new WorkflowExecution { WorkflowId = p.Item2, RunId = p.Item3 };
            started.WorkflowExecutionStartedEventAttributes.ParentInitiatedEventId = p.Item4;
        }
        Append(run, started);
        _runs[runId] = run;
        if (!_executions.TryGetValue((run.Namespace, run.WorkflowId), out var list)) _executions[(run.Namespace, run.WorkflowId)] = list = [];
        list.Add(run);
        foreach (var timeout in new[] { request.WorkflowRunTimeout, request.WorkflowExecutionTimeout })
            if (timeout is { } d && d.ToTimeSpan() > TimeSpan.Zero) Clock.At(Now + d.ToTimeSpan(), () => TimeOutRun(runId));
        return run;
    }

    private void TimeOutRun(string runId)
    {
        using (Guard())
        {
            if (!_runs.TryGetValue(runId, out var run) || !run.IsOpen) return;
            var e = NewEvent(EventType.WorkflowExecutionTimedOut);
            e.WorkflowExecutionTimedOutEventAttributes = new() { RetryState = RetryState.Timeout };
            CloseLocked(run, WorkflowExecutionStatus.TimedOut, e);
        }
    }

    // ---- workflow tasks ----

    public async Task<PollWorkflowTaskQueueResponse> PollWorkflowTaskAsync(PollWorkflowTaskQueueRequest request, CancellationToken cancellationToken)
    {
        // Sticky queues are never used: every task carries the full history on the normal queue.
        if (request.TaskQueue?.Kind == TaskQueueKind.Sticky)
        {
            try
            {
                await Task.Delay(LongPoll, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            return new PollWorkflowTaskQueueResponse();
        }
        RecordPoller(request.Namespace, request.TaskQueue?.Name ?? "", TaskQueueType.Workflow, request.Identity);
        return await LongPollAsync(_workflowQueues, request.Namespace, request.TaskQueue?.Name ?? "",
            item => item.Kind == 'q' ? DispatchQuery(item) : DispatchWorkflowTask(item, request.Identity), cancellationToken).ConfigureAwait(false)
            ?? new PollWorkflowTaskQueueResponse();
    }

    // Waits for items on a queue until one dispatches (the engine re-checks each under its lock; stale ones are skipped).
    private async Task<TResponse?> LongPollAsync<TResponse>(Dictionary<(string, string), TaskQueue<WorkItem>> queues, string ns, string name,
        Func<WorkItem, TResponse?> dispatch, CancellationToken cancellationToken) where TResponse : class
    {
        var deadline = DateTime.UtcNow + LongPoll;
        TaskQueue<WorkItem> queue;
        using (Guard()) queue = Queue(queues, ns, name);
        while (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            var item = await queue.PollAsync(deadline - DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
            if (item is null) break;
            using (Guard())
            {
                if (dispatch(item) is { } response) return response;
            }
        }
        return null;
    }

    private PollWorkflowTaskQueueResponse? DispatchWorkflowTask(WorkItem item, string identity)
    {
        if (!_runs.TryGetValue(item.RunId, out var run) || !run.IsOpen || !run.WorkflowTaskPending || run.Generation != item.Generation) return null;
        var scheduled = NewEvent(EventType.WorkflowTaskScheduled);
        scheduled.WorkflowTaskScheduledEventAttributes = new()
        {
            TaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            StartToCloseTimeout = run.WorkflowTaskTimeout,
            Attempt = run.WorkflowTaskAttempt,
        };
        Append(run, scheduled);
        var started = NewEvent(EventType.WorkflowTaskStarted);
        started.WorkflowTaskStartedEventAttributes = new() { ScheduledEventId = scheduled.EventId, Identity = identity, RequestId = Guid.NewGuid().ToString() };
        Append(run, started);
        run.WorkflowTaskPending = false;
        run.WorkflowTaskInFlight = true;
        run.WorkflowTaskScheduledId = scheduled.EventId;
        run.WorkflowTaskStartedId = started.EventId;
        _inFlight++;
        var generation = run.Generation;
        Clock.At(Now + run.WorkflowTaskTimeout.ToTimeSpan(), () => TimeOutWorkflowTask(run.RunId, generation));
        var response = new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken('w', run.RunId, started.EventId, generation).Encode(),
            WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            WorkflowType = run.Type,
            PreviousStartedEventId = run.PreviousStartedEventId,
            StartedEventId = started.EventId,
            Attempt = run.WorkflowTaskAttempt,
            History = new History { Events = { run.Events.Select(e => e.Clone()) } },
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = scheduled.EventTime,
            StartedTime = started.EventTime,
        };
        foreach (var query in run.Queries.Where(q => !q.Dispatched))
        {
            query.Dispatched = true;
            response.Queries[query.Id] = query.Query;
        }
        return response;
    }

    private void TimeOutWorkflowTask(string runId, int generation)
    {
        using (Guard())
        {
            if (!_runs.TryGetValue(runId, out var run) || !run.WorkflowTaskInFlight || run.Generation != generation) return;
            var e = NewEvent(EventType.WorkflowTaskTimedOut);
            e.WorkflowTaskTimedOutEventAttributes = new() { ScheduledEventId = run.WorkflowTaskScheduledId, StartedEventId = run.WorkflowTaskStartedId, TimeoutType = TimeoutType.StartToClose };
            EndWorkflowTask(run);
            Append(run, e);
            run.WorkflowTaskAttempt++;
            ReleaseQueries(run);
            FlushBuffered(run);
            RequestWorkflowTask(run);
        }
    }

    // Idempotent: a task can end through its completion and through the run closing inside that completion.
    private void EndWorkflowTask(WorkflowRun run)
    {
        if (!run.WorkflowTaskInFlight) return;
        run.WorkflowTaskInFlight = false;
        _inFlight--;
        Touch(run);
        Clock.Nudge();
    }

    private void FlushBuffered(WorkflowRun run)
    {
        var any = run.Buffered.Count > 0;
        AppendBuffered(run);
        if (any) RequestWorkflowTask(run);
    }

    // Writes buffered events in arrival order; an activity outcome points at the started event written just before it.
    private void AppendBuffered(WorkflowRun run)
    {
        long started = 0;
        foreach (var e in run.Buffered)
        {
            Append(run, e);
            switch (e.EventType)
            {
                case EventType.ActivityTaskStarted:
                    started = e.EventId;
                    break;
                case EventType.ActivityTaskCompleted:
                    e.ActivityTaskCompletedEventAttributes.StartedEventId = started;
                    break;
                case EventType.ActivityTaskFailed:
                    e.ActivityTaskFailedEventAttributes.StartedEventId = started;
                    break;
                case EventType.ActivityTaskTimedOut:
                    e.ActivityTaskTimedOutEventAttributes.StartedEventId = started;
                    break;
                case EventType.ActivityTaskCanceled:
                    e.ActivityTaskCanceledEventAttributes.StartedEventId = started;
                    break;
            }
        }
        run.Buffered.Clear();
    }

    // Queries handed out with a task that did not complete go back to waiting.
    private void ReleaseQueries(WorkflowRun run)
    {
        foreach (var query in run.Queries) query.Dispatched = false;
        DispatchQueries(run);
    }

    private WorkflowRun InFlightRun(ByteString token, char kind)
    {
        var decoded = TaskToken.Decode(token);
        if (decoded.Kind != kind || !_runs.TryGetValue(decoded.RunId, out var run) || !run.WorkflowTaskInFlight || run.Generation != decoded.Generation || run.WorkflowTaskStartedId != decoded.EventId)
            throw RpcErrors.NotFound("workflow task not found (it timed out, or the workflow was closed or reset)");
        return run;
    }

    public RespondWorkflowTaskCompletedResponse CompleteWorkflowTask(RespondWorkflowTaskCompletedRequest request)
    {
        using (Guard())
        {
            var run = InFlightRun(request.TaskToken, 'w');
            foreach (var (id, result) in request.QueryResults) AnswerQuery(run, id, result.ResultType == QueryResultType.Answered ? (result.Answer, null) : (null, result.ErrorMessage));
            var closes = request.Commands.Any(c => c.CommandType is CommandType.CompleteWorkflowExecution or CommandType.FailWorkflowExecution
                or CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution);
            if (closes && run.Buffered.Any(e => e.EventType is EventType.WorkflowExecutionSignaled or EventType.WorkflowExecutionUpdateAdmitted))
            {
                // New signals arrived while the workflow decided to close: it must see them first (UnhandledCommand).
                FailWorkflowTaskLocked(run, WorkflowTaskFailedCause.UnhandledCommand, null, request.Identity);
                return new RespondWorkflowTaskCompletedResponse();
            }
            var completed = NewEvent(EventType.WorkflowTaskCompleted);
            completed.WorkflowTaskCompletedEventAttributes = new()
            {
                ScheduledEventId = run.WorkflowTaskScheduledId,
                StartedEventId = run.WorkflowTaskStartedId,
                Identity = request.Identity,
                BinaryChecksum = request.BinaryChecksum,
                SdkMetadata = request.SdkMetadata,
                MeteringMetadata = request.MeteringMetadata,
            };
            Append(run, completed);
            run.PreviousStartedEventId = run.WorkflowTaskStartedId;
            run.WorkflowTaskAttempt = 1;
            foreach (var command in request.Commands)
            {
                if (!run.IsOpen) break;
                ApplyCommand(run, command, completed.EventId, request.Identity);
            }
            EndWorkflowTask(run);
            if (run.IsOpen)
            {
                FlushBuffered(run);
                if (request.ForceCreateNewWorkflowTask) RequestWorkflowTask(run);
            }
            ReleaseQueries(run);
            return new RespondWorkflowTaskCompletedResponse();
        }
    }

    public void FailWorkflowTask(RespondWorkflowTaskFailedRequest request)
    {
        using (Guard())
        {
            var run = InFlightRun(request.TaskToken, 'w');
            FailWorkflowTaskLocked(run, request.Cause, request.Failure, request.Identity);
        }
    }

    private void FailWorkflowTaskLocked(WorkflowRun run, WorkflowTaskFailedCause cause, Temporalio.Api.Failure.V1.Failure? failure, string identity)
    {
        var e = NewEvent(EventType.WorkflowTaskFailed);
        e.WorkflowTaskFailedEventAttributes = new()
        {
            ScheduledEventId = run.WorkflowTaskScheduledId,
            StartedEventId = run.WorkflowTaskStartedId,
            Cause = cause,
            Failure = failure,
            Identity = identity,
        };
        Append(run, e);
        EndWorkflowTask(run);
        ReleaseQueries(run);
        var unhandled = cause == WorkflowTaskFailedCause.UnhandledCommand;
        if (!unhandled) run.WorkflowTaskAttempt++;
        AppendBuffered(run);
        if (unhandled)
        {
            RequestWorkflowTask(run);
            return;
        }
        // The SDK reports a failing task once and waits: retry with back-off so a fixed worker can pick it up.
        var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(run.WorkflowTaskAttempt, 10))));
        var runId = run.RunId;
        Clock.At(Now + delay, () =>
        {
            using (Guard())
            {
                if (_runs.TryGetValue(runId, out var r)) RequestWorkflowTask(r);
            }
        });
    }
}
