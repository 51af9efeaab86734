using System.Text.Json;
using CroweLogic.Flow.Temporal.Journal;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    /// <summary>How long closed runs stay in the journal unless the service is told otherwise.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>Whether the engine's state survives a restart.</summary>
    public bool Durable => _journal is not null;

    /// <summary>How long closed runs are kept.</summary>
    public TimeSpan Retention { get; private init; } = DefaultRetention;

    private readonly TemporalJournal? _journal;
    private readonly HashSet<WorkflowRun> _dirty = [];
    private readonly List<string> _newNamespaces = [];
    private readonly List<SearchAttributeChange> _searchAttributeChanges = [];
    private Task _durable = Task.CompletedTask;
    private long _sequence;

    /// <summary>
    /// Enters the engine's lock; leaving it hands everything the section changed to the journal as one batch, in
    /// lock order, so the journal's order is the engine's.
    /// </summary>
    private GateScope Guard() => new(this);

    private ref struct GateScope
    {
        private readonly TemporalEngine _engine;
        private Lock.Scope _scope;

        public GateScope(TemporalEngine engine)
        {
            _engine = engine;
            _scope = engine._gate.EnterScope();
        }

        public void Dispose()
        {
            try
            {
                _engine.Commit();
            }
            finally
            {
                _scope.Dispose();
            }
        }
    }

    private void Touch(WorkflowRun run)
    {
        if (_journal is not null) _dirty.Add(run);
    }

    private void Commit()
    {
        if (_journal is null || (_dirty.Count == 0 && _newNamespaces.Count == 0 && _searchAttributeChanges.Count == 0)) return;
        var writes = new List<RunWrite>(_dirty.Count);
        foreach (var run in _dirty)
        {
            var events = new byte[run.Events.Count - run.PersistedEvents][];
            for (var i = 0; i < events.Length; i++) events[i] = run.Events[run.PersistedEvents + i].ToByteArray();
            writes.Add(new RunWrite(run.RunId, run.Sequence, run.IsOpen, run.CloseTime?.Ticks, JsonSerializer.Serialize(Snapshot(run), RunRecordJson.Default.RunRecord), run.PersistedEvents + 1, events));
            run.PersistedEvents = run.Events.Count;
        }
        _dirty.Clear();
        var batch = new JournalBatch([.. _newNamespaces], [.. _searchAttributeChanges], writes);
        _newNamespaces.Clear();
        _searchAttributeChanges.Clear();
        _durable = _journal.Append(batch);
    }

    /// <summary>Completes once every change made so far is on disk (at once without a journal).</summary>
    public Task DurableAsync()
    {
        lock (_gate) return _durable;
    }

    /// <summary>
    /// What every call awaits before it answers: an acknowledged start or signal survives a kill -9. A journal that
    /// cannot write turns into Unavailable with its reason.
    /// </summary>
    public async Task AwaitDurableAsync()
    {
        try
        {
            await DurableAsync().ConfigureAwait(false);
        }
        catch (TemporalJournalException e)
        {
            throw RpcErrors.Create(Grpc.Core.StatusCode.Unavailable, e.Message);
        }
    }

    private static RunRecord Snapshot(WorkflowRun run) => new()
    {
        Namespace = run.Namespace,
        WorkflowId = run.WorkflowId,
        RunId = run.RunId,
        FirstRunId = run.FirstRunId,
        Type = run.Type.Name,
        TaskQueue = run.TaskQueue,
        WorkflowTaskTimeoutTicks = run.WorkflowTaskTimeout.ToTimeSpan().Ticks,
        StartTime = run.StartTime,
        RequestId = run.RequestId,
        Status = (int)run.Status,
        CloseTime = run.CloseTime,
        Memo = run.Memo.ToByteArray(),
        SearchAttributes = run.SearchAttributes.ToByteArray(),
        Parent = run.Parent is { } p ? new ParentRecord(p.Namespace, p.WorkflowId, p.RunId, p.InitiatedEventId) : null,
        ParentClosePolicy = (int)run.ParentClosePolicy,
        NextRunId = run.NextRunId,
        CancelRequested = run.CancelRequested,
        WorkflowTaskPending = run.WorkflowTaskPending,
        WorkflowTaskInFlight = run.WorkflowTaskInFlight,
        WorkflowTaskScheduledId = run.WorkflowTaskScheduledId,
        WorkflowTaskStartedId = run.WorkflowTaskStartedId,
        WorkflowTaskAttempt = run.WorkflowTaskAttempt,
        PreviousStartedEventId = run.PreviousStartedEventId,
        Generation = run.Generation,
        Buffered = [.. run.Buffered.Select(e => e.ToByteArray())],
        Activities = [.. run.Activities.Values.Select(a => new ActivityRecord
        {
            ScheduledEventId = a.ScheduledEventId,
            ScheduledTime = a.ScheduledTime,
            Attempt = a.Attempt,
            CurrentAttemptScheduledTime = a.CurrentAttemptScheduledTime,
            Started = a.Started,
            StartedTime = a.StartedTime,
            LastHeartbeat = a.LastHeartbeat,
            HeartbeatDetails = a.HeartbeatDetails?.ToByteArray(),
            Identity = a.Identity,
            CancelRequested = a.CancelRequested,
            CancelRequestedEventId = a.CancelRequestedEventId,
            LastFailure = a.LastFailure?.ToByteArray(),
            Token = a.Token,
            RetryDue = a.RetryDue,
        })],
        Timers = new Dictionary<string, long>(run.Timers, StringComparer.Ordinal),
        Children = [.. run.Children.Values.Select(c => new ChildRecord(c.InitiatedEventId, c.WorkflowId, c.Type.Name, c.RunId))],
    };

    // Rebuilds the engine from the journal and re-arms what was waiting: workflow tasks in flight keep their tokens
    // until their timeout (a worker in another process may still answer), due timers fire, activity attempts keep
    // their attempt counts, back-offs and timeouts, and a heartbeat timeout restarts from now (a live worker's next
    // heartbeat keeps its attempt; a dead one's attempt fails over within one timeout).
    private void Restore(JournalContents contents)
    {
        lock (_gate)
        {
            foreach (var name in contents.Namespaces) _namespaces.Add(name);
            foreach (var a in contents.SearchAttributes) _searchAttributes[(a.Namespace, a.Name)] = (IndexedValueType)a.Type;
            foreach (var loaded in contents.Runs)
            {
                var run = Rebuild(loaded);
                _runs[run.RunId] = run;
                if (!_executions.TryGetValue((run.Namespace, run.WorkflowId), out var list)) _executions[(run.Namespace, run.WorkflowId)] = list = [];
                list.Add(run);
                _sequence = Math.Max(_sequence, run.Sequence);
                _taskId = Math.Max(_taskId, run.Events.Max(e => e.TaskId));
                Clock.AdvanceTo(run.Events[^1].EventTime.ToDateTime());
            }
            foreach (var run in _runs.Values)
            {
                if (run.IsOpen) Rearm(run);
                else run.Closed.TrySetResult();
            }
            Commit();
        }
    }

    private static WorkflowRun Rebuild(LoadedRun loaded)
    {
        var r = loaded.Record;
        var run = new WorkflowRun
        {
            Namespace = r.Namespace,
            WorkflowId = r.WorkflowId,
            RunId = r.RunId,
            FirstRunId = r.FirstRunId,
            Type = new WorkflowType { Name = r.Type },
            TaskQueue = r.TaskQueue,
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromTicks(r.WorkflowTaskTimeoutTicks)),
            StartTime = DateTime.SpecifyKind(r.StartTime, DateTimeKind.Utc),
            RequestId = r.RequestId,
            Sequence = loaded.Sequence,
            Status = (WorkflowExecutionStatus)r.Status,
            CloseTime = r.CloseTime is { } c ? DateTime.SpecifyKind(c, DateTimeKind.Utc) : null,
            Memo = Memo.Parser.ParseFrom(r.Memo),
            SearchAttributes = SearchAttributes.Parser.ParseFrom(r.SearchAttributes),
            Parent = r.Parent is { } p ? (p.Namespace, p.WorkflowId, p.RunId, p.InitiatedEventId) : null,
            ParentClosePolicy = (ParentClosePolicy)r.ParentClosePolicy,
            NextRunId = r.NextRunId,
            CancelRequested = r.CancelRequested,
            WorkflowTaskPending = r.WorkflowTaskPending,
            WorkflowTaskInFlight = r.WorkflowTaskInFlight,
            WorkflowTaskScheduledId = r.WorkflowTaskScheduledId,
            WorkflowTaskStartedId = r.WorkflowTaskStartedId,
            WorkflowTaskAttempt = r.WorkflowTaskAttempt,
            PreviousStartedEventId = r.PreviousStartedEventId,
            Generation = r.Generation,
        };
        run.Events.AddRange(loaded.Events);
        run.PersistedEvents = run.Events.Count;
        run.Buffered.AddRange(r.Buffered.Select(b => Temporalio.Api.History.V1.HistoryEvent.Parser.ParseFrom(b)));
        foreach (var a in r.Activities)
        {
            var scheduled = run.Events[(int)a.ScheduledEventId - 1].ActivityTaskScheduledEventAttributes
                ?? throw new TemporalJournalException($"run {run.RunId}: event {a.ScheduledEventId} is not the activity's ActivityTaskScheduled");
            run.Activities[a.ScheduledEventId] = new ActivityState
            {
                ScheduledEventId = a.ScheduledEventId,
                Attributes = scheduled,
                RetryPolicy = scheduled.RetryPolicy,
                ScheduledTime = DateTime.SpecifyKind(a.ScheduledTime, DateTimeKind.Utc),
                Attempt = a.Attempt,
                CurrentAttemptScheduledTime = DateTime.SpecifyKind(a.CurrentAttemptScheduledTime, DateTimeKind.Utc),
                Started = a.Started,
                StartedTime = DateTime.SpecifyKind(a.StartedTime, DateTimeKind.Utc),
                LastHeartbeat = DateTime.SpecifyKind(a.LastHeartbeat, DateTimeKind.Utc),
                HeartbeatDetails = a.HeartbeatDetails is { } h ? Payloads.Parser.ParseFrom(h) : null,
                Identity = a.Identity,
                CancelRequested = a.CancelRequested,
                CancelRequestedEventId = a.CancelRequestedEventId,
                LastFailure = a.LastFailure is { } f ? Failure.Parser.ParseFrom(f) : null,
                Token = a.Token,
                RetryDue = a.RetryDue is { } d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : null,
            };
        }
        foreach (var (id, startedId) in r.Timers) run.Timers[id] = startedId;
        foreach (var child in r.Children) run.Children[child.InitiatedEventId] = new ChildState { InitiatedEventId = child.InitiatedEventId, WorkflowId = child.WorkflowId, Type = new WorkflowType { Name = child.Type }, RunId = child.RunId };
        return run;
    }

    private void Rearm(WorkflowRun run)
    {
        var runId = run.RunId;
        var started = run.Events[0].WorkflowExecutionStartedEventAttributes;
        foreach (var timeout in new[] { started.WorkflowRunTimeout, started.WorkflowExecutionTimeout })
            if (timeout is { } d && d.ToTimeSpan() > TimeSpan.Zero) Clock.At(run.StartTime + d.ToTimeSpan(), () => TimeOutRun(runId));
        foreach (var (timerId, startedId) in run.Timers)
        {
            var e = run.Events[(int)startedId - 1];
            Clock.At(e.EventTime.ToDateTime() + e.TimerStartedEventAttributes.StartToFireTimeout.ToTimeSpan(), () => FireTimer(runId, timerId, startedId));
        }
        if (run.WorkflowTaskInFlight)
        {
            _inFlight++;
            var generation = run.Generation;
            var startedAt = run.Events[(int)run.WorkflowTaskStartedId - 1].EventTime.ToDateTime();
            Clock.At(startedAt + run.WorkflowTaskTimeout.ToTimeSpan(), () => TimeOutWorkflowTask(runId, generation));
        }
        else if (run.WorkflowTaskPending) WorkflowQueue(run.Namespace, run.TaskQueue).Offer(new WorkItem('w', runId, 0, run.Generation));
        else if (run.Events[^1].EventType is EventType.WorkflowTaskFailed || run.Buffered.Count > 0)
        {
            // A failed task was waiting out its back-off, or outcomes were buffered behind a task that is gone.
            AppendBuffered(run);
            RequestWorkflowTask(run);
        }
        foreach (var activity in run.Activities.Values)
        {
            var scheduledId = activity.ScheduledEventId;
            var a = activity.Attributes;
            if (Positive(a.ScheduleToCloseTimeout) is { } s) Clock.At(activity.ScheduledTime + s.ToTimeSpan(), () => TimeOutActivity(runId, scheduledId, -1, TimeoutType.ScheduleToClose));
            if (activity.Started)
            {
                _inFlight++;
                var token = activity.Token;
                Clock.At(activity.StartedTime + a.StartToCloseTimeout.ToTimeSpan(), () => TimeOutActivity(runId, scheduledId, token, TimeoutType.StartToClose));
                if (Positive(a.HeartbeatTimeout) is { } heartbeat)
                {
                    if (activity.LastHeartbeat < Now) activity.LastHeartbeat = Now;
                    ScheduleHeartbeatCheck(runId, scheduledId, token, heartbeat.ToTimeSpan());
                }
            }
            else if (activity.RetryDue is { } due) ScheduleRetry(runId, scheduledId, due);
            else if (!activity.CancelRequested) OfferActivity(run, activity);
        }
    }
}
