using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    private void ApplyCommand(WorkflowRun run, Command command, long completedId, string identity)
    {
        switch (command.CommandType)
        {
            case CommandType.ScheduleActivityTask:
                ScheduleActivity(run, command.ScheduleActivityTaskCommandAttributes, completedId);
                break;
            case CommandType.RequestCancelActivityTask:
                CancelActivity(run, command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedId);
                break;
            case CommandType.StartTimer:
            {
                var a = command.StartTimerCommandAttributes;
                var e = NewEvent(EventType.TimerStarted);
                e.TimerStartedEventAttributes = new() { TimerId = a.TimerId, StartToFireTimeout = a.StartToFireTimeout, WorkflowTaskCompletedEventId = completedId };
                Append(run, e);
                run.Timers[a.TimerId] = e.EventId;
                var runId = run.RunId;
                Clock.At(Now + a.StartToFireTimeout.ToTimeSpan(), () => FireTimer(runId, a.TimerId, e.EventId));
                break;
            }
            case CommandType.CancelTimer:
            {
                var timerId = command.CancelTimerCommandAttributes.TimerId;
                if (!run.Timers.Remove(timerId, out var startedId)) break;
                var e = NewEvent(EventType.TimerCanceled);
                e.TimerCanceledEventAttributes = new() { TimerId = timerId, StartedEventId = startedId, WorkflowTaskCompletedEventId = completedId, Identity = identity };
                Append(run, e);
                break;
            }
            case CommandType.CompleteWorkflowExecution:
            {
                var e = NewEvent(EventType.WorkflowExecutionCompleted);
                e.WorkflowExecutionCompletedEventAttributes = new() { Result = command.CompleteWorkflowExecutionCommandAttributes.Result, WorkflowTaskCompletedEventId = completedId };
                CloseLocked(run, WorkflowExecutionStatus.Completed, e);
                break;
            }
            case CommandType.FailWorkflowExecution:
            {
                var e = NewEvent(EventType.WorkflowExecutionFailed);
                e.WorkflowExecutionFailedEventAttributes = new() { Failure = command.FailWorkflowExecutionCommandAttributes.Failure, RetryState = RetryState.RetryPolicyNotSet, WorkflowTaskCompletedEventId = completedId };
                CloseLocked(run, WorkflowExecutionStatus.Failed, e);
                break;
            }
            case CommandType.CancelWorkflowExecution:
            {
                var e = NewEvent(EventType.WorkflowExecutionCanceled);
                e.WorkflowExecutionCanceledEventAttributes = new() { Details = command.CancelWorkflowExecutionCommandAttributes.Details, WorkflowTaskCompletedEventId = completedId };
                CloseLocked(run, WorkflowExecutionStatus.Canceled, e);
                break;
            }
            case CommandType.ContinueAsNewWorkflowExecution:
                ContinueAsNew(run, command.ContinueAsNewWorkflowExecutionCommandAttributes, completedId);
                break;
            case CommandType.RecordMarker:
            {
                var a = command.RecordMarkerCommandAttributes;
                var e = NewEvent(EventType.MarkerRecorded);
                e.MarkerRecordedEventAttributes = new() { MarkerName = a.MarkerName, WorkflowTaskCompletedEventId = completedId, Header = a.Header, Failure = a.Failure };
                e.MarkerRecordedEventAttributes.Details.Add(a.Details);
                Append(run, e);
                break;
            }
            case CommandType.UpsertWorkflowSearchAttributes:
            {
                var a = command.UpsertWorkflowSearchAttributesCommandAttributes;
                var e = NewEvent(EventType.UpsertWorkflowSearchAttributes);
                e.UpsertWorkflowSearchAttributesEventAttributes = new() { SearchAttributes = a.SearchAttributes, WorkflowTaskCompletedEventId = completedId };
                Append(run, e);
                foreach (var (key, value) in a.SearchAttributes.IndexedFields)
                {
                    // An empty payload removes the attribute.
                    if (value.Data.IsEmpty || value.Data.ToStringUtf8() == "null") run.SearchAttributes.IndexedFields.Remove(key);
                    else run.SearchAttributes.IndexedFields[key] = value;
                }
                break;
            }
            case CommandType.ModifyWorkflowProperties:
            {
                var a = command.ModifyWorkflowPropertiesCommandAttributes;
                var e = NewEvent(EventType.WorkflowPropertiesModified);
                e.WorkflowPropertiesModifiedEventAttributes = new() { UpsertedMemo = a.UpsertedMemo, WorkflowTaskCompletedEventId = completedId };
                Append(run, e);
                foreach (var (key, value) in a.UpsertedMemo?.Fields ?? []) run.Memo.Fields[key] = value;
                break;
            }
            case CommandType.StartChildWorkflowExecution:
                StartChild(run, command.StartChildWorkflowExecutionCommandAttributes, completedId);
                break;
            case CommandType.SignalExternalWorkflowExecution:
                SignalExternal(run, command.SignalExternalWorkflowExecutionCommandAttributes, completedId);
                break;
            case CommandType.RequestCancelExternalWorkflowExecution:
                CancelExternal(run, command.RequestCancelExternalWorkflowExecutionCommandAttributes, completedId);
                break;
            default:
                throw RpcErrors.Create(StatusCode.Unimplemented, $"command {command.CommandType} is not supported by the embedded Temporal service");
        }
    }

    private void FireTimer(string runId, string timerId, long startedEventId)
    {
        using (Guard())
        {
            if (!_runs.TryGetValue(runId, out var run) || !run.IsOpen || !run.Timers.TryGetValue(timerId, out var current) || current != startedEventId) return;
            run.Timers.Remove(timerId);
            var e = NewEvent(EventType.TimerFired);
            e.TimerFiredEventAttributes = new() { TimerId = timerId, StartedEventId = startedEventId };
            AddExternal(run, e);
        }
    }

    private void ContinueAsNew(WorkflowRun run, ContinueAsNewWorkflowExecutionCommandAttributes a, long completedId)
    {
        var request = new StartWorkflowExecutionRequest
        {
            Namespace = run.Namespace,
            WorkflowId = run.WorkflowId,
            WorkflowType = a.WorkflowType ?? run.Type,
            TaskQueue = a.TaskQueue is { Name.Length: > 0 } ? a.TaskQueue : new TaskQueue { Name = run.TaskQueue },
            Input = a.Input,
            WorkflowRunTimeout = a.WorkflowRunTimeout,
            WorkflowTaskTimeout = a.WorkflowTaskTimeout ?? run.WorkflowTaskTimeout,
            Header = a.Header,
            Memo = a.Memo ?? run.Memo,
            SearchAttributes = a.SearchAttributes ?? run.SearchAttributes,
            LastCompletionResult = a.LastCompletionResult,
            RetryPolicy = a.RetryPolicy,
        };
        var next = CreateRun(request, run.Parent, run.ParentClosePolicy, run, run.FirstRunId);
        var e = NewEvent(EventType.WorkflowExecutionContinuedAsNew);
        e.WorkflowExecutionContinuedAsNewEventAttributes = new()
        {
            NewExecutionRunId = next.RunId,
            WorkflowType = request.WorkflowType,
            TaskQueue = new TaskQueue { Name = request.TaskQueue.Name, Kind = TaskQueueKind.Normal },
            Input = a.Input,
            WorkflowRunTimeout = a.WorkflowRunTimeout,
            WorkflowTaskTimeout = request.WorkflowTaskTimeout,
            WorkflowTaskCompletedEventId = completedId,
            Header = a.Header,
            Memo = a.Memo,
            SearchAttributes = a.SearchAttributes,
            Initiator = ContinueAsNewInitiator.Workflow,
        };
        run.NextRunId = next.RunId;
        CloseLocked(run, WorkflowExecutionStatus.ContinuedAsNew, e, notifyParent: false);
        RequestWorkflowTask(next);
    }

    private void StartChild(WorkflowRun parent, StartChildWorkflowExecutionCommandAttributes a, long completedId)
    {
        var ns = a.Namespace.Length > 0 ? a.Namespace : parent.Namespace;
        var initiated = NewEvent(EventType.StartChildWorkflowExecutionInitiated);
        initiated.StartChildWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = ns,
            WorkflowId = a.WorkflowId,
            WorkflowType = a.WorkflowType,
            TaskQueue = a.TaskQueue is { Name.Length: > 0 } ? a.TaskQueue : new TaskQueue { Name = parent.TaskQueue, Kind = TaskQueueKind.Normal },
            Input = a.Input,
            WorkflowExecutionTimeout = a.WorkflowExecutionTimeout,
            WorkflowRunTimeout = a.WorkflowRunTimeout,
            WorkflowTaskTimeout = a.WorkflowTaskTimeout,
            ParentClosePolicy = a.ParentClosePolicy,
            Control = a.Control,
            WorkflowTaskCompletedEventId = completedId,
            WorkflowIdReusePolicy = a.WorkflowIdReusePolicy,
            RetryPolicy = a.RetryPolicy,
            CronSchedule = a.CronSchedule,
            Header = a.Header,
            Memo = a.Memo,
            SearchAttributes = a.SearchAttributes,
        };
        Append(parent, initiated);
        var child = new ChildState { InitiatedEventId = initiated.EventId, WorkflowId = a.WorkflowId, Type = a.WorkflowType };
        try
        {
            var response = Start(new StartWorkflowExecutionRequest
            {
                Namespace = ns,
                WorkflowId = a.WorkflowId,
                WorkflowType = a.WorkflowType,
                TaskQueue = initiated.StartChildWorkflowExecutionInitiatedEventAttributes.TaskQueue,
                Input = a.Input,
                WorkflowExecutionTimeout = a.WorkflowExecutionTimeout,
                WorkflowRunTimeout = a.WorkflowRunTimeout,
                WorkflowTaskTimeout = a.WorkflowTaskTimeout,
                WorkflowIdReusePolicy = a.WorkflowIdReusePolicy,
                RetryPolicy = a.RetryPolicy,
                Header = a.Header,
                Memo = a.Memo,
                SearchAttributes = a.SearchAttributes,
                RequestId = Guid.NewGuid().ToString(),
            }, (parent.Namespace, parent.WorkflowId, parent.RunId, initiated.EventId), a.ParentClosePolicy);
            child.RunId = response.RunId;
            parent.Children[initiated.EventId] = child;
            var started = NewEvent(EventType.ChildWorkflowExecutionStarted);
            started.ChildWorkflowExecutionStartedEventAttributes = new()
            {
                Namespace = ns,
                InitiatedEventId = initiated.EventId,
                WorkflowExecution = new WorkflowExecution { WorkflowId = a.WorkflowId, RunId = response.RunId },
                WorkflowType = a.WorkflowType,
                Header = a.Header,
            };
            AddExternal(parent, started);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.AlreadyExists or StatusCode.NotFound)
        {
            var failed = NewEvent(EventType.StartChildWorkflowExecutionFailed);
            failed.StartChildWorkflowExecutionFailedEventAttributes = new()
            {
                Namespace = ns,
                WorkflowId = a.WorkflowId,
                WorkflowType = a.WorkflowType,
                Cause = e.StatusCode == StatusCode.AlreadyExists ? StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists : StartChildWorkflowExecutionFailedCause.NamespaceNotFound,
                Control = a.Control,
                InitiatedEventId = initiated.EventId,
                WorkflowTaskCompletedEventId = completedId,
            };
            AddExternal(parent, failed);
        }
    }

    // A child closed: tell its parent with the matching Child… event.
    private void NotifyParent(WorkflowRun child, HistoryEvent close)
    {
        if (child.Parent is not { } p || !_runs.TryGetValue(p.RunId, out var parent) || !parent.Children.Remove(p.InitiatedEventId, out var state)) return;
        var execution = new WorkflowExecution { WorkflowId = child.WorkflowId, RunId = state.RunId };
        HistoryEvent e;
        switch (close.EventType)
        {
            case EventType.WorkflowExecutionCompleted:
                e = NewEvent(EventType.ChildWorkflowExecutionCompleted);
                e.ChildWorkflowExecutionCompletedEventAttributes = new() { Result = close.WorkflowExecutionCompletedEventAttributes.Result, Namespace = child.Namespace, WorkflowExecution = execution, WorkflowType = child.Type, InitiatedEventId = p.InitiatedEventId, StartedEventId = ChildStartedId(parent, p.InitiatedEventId) };
                break;
            case EventType.WorkflowExecutionFailed:
                e = NewEvent(EventType.ChildWorkflowExecutionFailed);
                e.ChildWorkflowExecutionFailedEventAttributes = new() { Failure = close.WorkflowExecutionFailedEventAttributes.Failure, Namespace = child.Namespace, WorkflowExecution = execution, WorkflowType = child.Type, InitiatedEventId = p.InitiatedEventId, StartedEventId = ChildStartedId(parent, p.InitiatedEventId), RetryState = RetryState.RetryPolicyNotSet };
                break;
            case EventType.WorkflowExecutionCanceled:
                e = NewEvent(EventType.ChildWorkflowExecutionCanceled);
                e.ChildWorkflowExecutionCanceledEventAttributes = new() { Details = close.WorkflowExecutionCanceledEventAttributes.Details, Namespace = child.Namespace, WorkflowExecution = execution, WorkflowType = child.Type, InitiatedEventId = p.InitiatedEventId, StartedEventId = ChildStartedId(parent, p.InitiatedEventId) };
                break;
            case EventType.WorkflowExecutionTimedOut:
                e = NewEvent(EventType.ChildWorkflowExecutionTimedOut);
                e.ChildWorkflowExecutionTimedOutEventAttributes = new() { Namespace = child.Namespace, WorkflowExecution = execution, WorkflowType = child.Type, InitiatedEventId = p.InitiatedEventId, StartedEventId = ChildStartedId(parent, p.InitiatedEventId), RetryState = RetryState.Timeout };
                break;
            default:
                e = NewEvent(EventType.ChildWorkflowExecutionTerminated);
                e.ChildWorkflowExecutionTerminatedEventAttributes = new() { Namespace = child.Namespace, WorkflowExecution = execution, WorkflowType = child.Type, InitiatedEventId = p.InitiatedEventId, StartedEventId = ChildStartedId(parent, p.InitiatedEventId) };
                break;
        }
        AddExternal(parent, e);
    }

    private static long ChildStartedId(WorkflowRun parent, long initiatedId) =>
        parent.Events.Concat(parent.Buffered).FirstOrDefault(e => e.EventType == EventType.ChildWorkflowExecutionStarted && e.ChildWorkflowExecutionStartedEventAttributes.InitiatedEventId == initiatedId)?.EventId ?? 0;

    private void SignalExternal(WorkflowRun run, SignalExternalWorkflowExecutionCommandAttributes a, long completedId)
    {
        var ns = a.Namespace.Length > 0 ? a.Namespace : run.Namespace;
        var initiated = NewEvent(EventType.SignalExternalWorkflowExecutionInitiated);
        initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = ns,
            WorkflowExecution = a.Execution,
            SignalName = a.SignalName,
            Input = a.Input,
            Control = a.Control,
            ChildWorkflowOnly = a.ChildWorkflowOnly,
            Header = a.Header,
            WorkflowTaskCompletedEventId = completedId,
        };
        Append(run, initiated);
        if (OpenRun(ns, a.Execution) is { } target)
        {
            var signaled = NewEvent(EventType.WorkflowExecutionSignaled);
            signaled.WorkflowExecutionSignaledEventAttributes = new() { SignalName = a.SignalName, Input = a.Input, Identity = $"workflow {run.WorkflowId}", Header = a.Header };
            AddExternal(target, signaled);
            var done = NewEvent(EventType.ExternalWorkflowExecutionSignaled);
            done.ExternalWorkflowExecutionSignaledEventAttributes = new() { InitiatedEventId = initiated.EventId, Namespace = ns, WorkflowExecution = new WorkflowExecution { WorkflowId = target.WorkflowId, RunId = target.RunId }, Control = a.Control };
            AddExternal(run, done);
        }
        else
        {
            var failed = NewEvent(EventType.SignalExternalWorkflowExecutionFailed);
            failed.SignalExternalWorkflowExecutionFailedEventAttributes = new() { Cause = SignalExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound, WorkflowTaskCompletedEventId = completedId, Namespace = ns, WorkflowExecution = a.Execution, InitiatedEventId = initiated.EventId, Control = a.Control };
            AddExternal(run, failed);
        }
    }

    private void CancelExternal(WorkflowRun run, RequestCancelExternalWorkflowExecutionCommandAttributes a, long completedId)
    {
        var ns = a.Namespace.Length > 0 ? a.Namespace : run.Namespace;
        var execution = new WorkflowExecution { WorkflowId = a.WorkflowId, RunId = a.RunId };
        var initiated = NewEvent(EventType.RequestCancelExternalWorkflowExecutionInitiated);
        initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = new()
        {
            Namespace = ns,
            WorkflowExecution = execution,
            Control = a.Control,
            ChildWorkflowOnly = a.ChildWorkflowOnly,
            Reason = a.Reason,
            WorkflowTaskCompletedEventId = completedId,
        };
        Append(run, initiated);
        if (OpenRun(ns, execution) is { } target)
        {
            RequestCancelLocked(target, a.Reason, $"workflow {run.WorkflowId}");
            var done = NewEvent(EventType.ExternalWorkflowExecutionCancelRequested);
            done.ExternalWorkflowExecutionCancelRequestedEventAttributes = new() { InitiatedEventId = initiated.EventId, Namespace = ns, WorkflowExecution = new WorkflowExecution { WorkflowId = target.WorkflowId, RunId = target.RunId } };
            AddExternal(run, done);
        }
        else
        {
            var failed = NewEvent(EventType.RequestCancelExternalWorkflowExecutionFailed);
            failed.RequestCancelExternalWorkflowExecutionFailedEventAttributes = new() { Cause = CancelExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound, WorkflowTaskCompletedEventId = completedId, Namespace = ns, WorkflowExecution = execution, InitiatedEventId = initiated.EventId, Control = a.Control };
            AddExternal(run, failed);
        }
    }

    // The target of an external signal or cancel, if it exists and is open.
    private WorkflowRun? OpenRun(string ns, WorkflowExecution execution)
    {
        try
        {
            return Run(ns, execution) is { IsOpen: true } run ? run : null;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    // ---- closing ----

    private void CloseLocked(WorkflowRun run, WorkflowExecutionStatus status, HistoryEvent close, bool notifyParent = true)
    {
        if (!run.IsOpen) return;
        Append(run, close);
        run.Status = status;
        run.CloseTime = Now;
        if (run.WorkflowTaskInFlight) EndWorkflowTask(run);
        run.WorkflowTaskPending = false;
        run.Buffered.Clear();
        run.Timers.Clear();
        foreach (var activity in run.Activities.Values)
        {
            activity.CancelRequested = true;
            if (activity.Started) _inFlight--;
            activity.Started = false;
        }
        run.Activities.Clear();
        run.Closed.TrySetResult();
        if (notifyParent) NotifyParent(run, close);
        foreach (var child in run.Children.Values.ToArray())
        {
            if (!_runs.TryGetValue(child.RunId, out var childRun) || !childRun.IsOpen) continue;
            switch (childRun.ParentClosePolicy)
            {
                case ParentClosePolicy.Abandon:
                    break;
                case ParentClosePolicy.RequestCancel:
                    RequestCancelLocked(childRun, "parent closed", "parent close policy");
                    break;
                default:
                    TerminateLocked(childRun, "parent closed (parent close policy: terminate)", null, "parent close policy");
                    break;
            }
        }
        Clock.Nudge();
    }

    private void TerminateLocked(WorkflowRun run, string reason, Payloads? details, string identity)
    {
        var e = NewEvent(EventType.WorkflowExecutionTerminated);
        e.WorkflowExecutionTerminatedEventAttributes = new() { Reason = reason, Details = details, Identity = identity };
        CloseLocked(run, WorkflowExecutionStatus.Terminated, e);
    }

    private void RequestCancelLocked(WorkflowRun run, string reason, string identity)
    {
        if (!run.IsOpen || run.CancelRequested) return;
        run.CancelRequested = true;
        var e = NewEvent(EventType.WorkflowExecutionCancelRequested);
        e.WorkflowExecutionCancelRequestedEventAttributes = new() { Cause = reason, Identity = identity };
        AddExternal(run, e);
    }
}
