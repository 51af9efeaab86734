using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Query.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    public void Signal(SignalWorkflowExecutionRequest request)
    {
        using (Guard())
        {
            var run = Run(request.Namespace, request.WorkflowExecution);
            if (!run.IsOpen) throw RpcErrors.NotFound($"workflow execution {run.WorkflowId} already completed");
            CheckSignal(run.Type.Name, request.SignalName, request.Input);
            AddExternal(run, SignalEvent(request.SignalName, request.Input, request.Identity, request.Header));
        }
    }

    /// <summary>Checks signal inputs before they are accepted (null: every input is accepted).</summary>
    public ISignalValidator? Signals { get; init; }

    private void CheckSignal(string workflowType, string signal, Payloads? input)
    {
        if (Signals?.Validate(workflowType, signal, input) is { } problem)
            throw RpcErrors.InvalidArgument($"signal {signal} of {workflowType} refused: {problem}; the workflow did not receive it");
    }

    public SignalWithStartWorkflowExecutionResponse SignalWithStart(SignalWithStartWorkflowExecutionRequest request)
    {
        if (request.WorkflowType is { } type) CheckSignal(type.Name, request.SignalName, request.SignalInput);
        var start = new StartWorkflowExecutionRequest
        {
            Namespace = request.Namespace,
            WorkflowId = request.WorkflowId,
            WorkflowType = request.WorkflowType,
            TaskQueue = request.TaskQueue,
            Input = request.Input,
            WorkflowExecutionTimeout = request.WorkflowExecutionTimeout,
            WorkflowRunTimeout = request.WorkflowRunTimeout,
            WorkflowTaskTimeout = request.WorkflowTaskTimeout,
            Identity = request.Identity,
            RequestId = request.RequestId,
            WorkflowIdReusePolicy = request.WorkflowIdReusePolicy,
            WorkflowIdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
            RetryPolicy = request.RetryPolicy,
            CronSchedule = request.CronSchedule,
            Memo = request.Memo,
            SearchAttributes = request.SearchAttributes,
            Header = request.Header,
        };
        using (Guard())
        {
            // The signal is part of the start: written before the first workflow task (or delivered to the running one).
            var response = Start(start, beforeFirstTask: run => AddOrAppendSignal(run, request));
            return new SignalWithStartWorkflowExecutionResponse { RunId = response.RunId, Started = response.Started };
        }
    }

    private void AddOrAppendSignal(WorkflowRun run, SignalWithStartWorkflowExecutionRequest request)
    {
        var e = SignalEvent(request.SignalName, request.SignalInput, request.Identity, request.Header);
        if (run.Events.Count == 1) Append(run, e); // new run: right after WorkflowExecutionStarted
        else AddExternal(run, e);
    }

    private HistoryEvent SignalEvent(string name, Payloads? input, string identity, Header? header)
    {
        var e = NewEvent(EventType.WorkflowExecutionSignaled);
        e.WorkflowExecutionSignaledEventAttributes = new() { SignalName = name, Input = input, Identity = identity, Header = header };
        return e;
    }

    public async Task<QueryWorkflowResponse> QueryAsync(QueryWorkflowRequest request, CancellationToken cancellationToken)
    {
        PendingQuery query;
        using (Guard())
        {
            var run = Run(request.Namespace, request.Execution);
            if (request.QueryRejectCondition == QueryRejectCondition.NotOpen && !run.IsOpen
                || request.QueryRejectCondition == QueryRejectCondition.NotCompletedCleanly && run.Status is not (WorkflowExecutionStatus.Running or WorkflowExecutionStatus.Completed))
                return new QueryWorkflowResponse { QueryRejected = new QueryRejected { Status = run.Status } };
            query = new PendingQuery { Id = Guid.NewGuid().ToString("N"), Query = request.Query };
            run.Queries.Add(query);
            DispatchQueries(run);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        (Payloads? Result, string? Error) answer;
        try
        {
            answer = await query.Answer.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw RpcErrors.Create(StatusCode.DeadlineExceeded, "no worker answered the query in time (is a worker polling the task queue?)");
        }
        if (answer.Error is { } error) throw RpcErrors.Create(StatusCode.InvalidArgument, error, new QueryFailedFailure());
        return new QueryWorkflowResponse { QueryResult = answer.Result };
    }

    // Without a workflow task to ride on, a query goes out alone as a legacy query task carrying the full history.
    private void DispatchQueries(WorkflowRun run)
    {
        if (run.WorkflowTaskInFlight || run.WorkflowTaskPending) return;
        foreach (var query in run.Queries.Where(q => !q.Dispatched))
        {
            query.Dispatched = true;
            WorkflowQueue(run.Namespace, run.TaskQueue).Offer(new WorkItem('q', run.RunId, 0, run.Generation, query.Id));
        }
    }

    private PollWorkflowTaskQueueResponse? DispatchQuery(WorkItem item)
    {
        if (!_runs.TryGetValue(item.RunId, out var run)) return null;
        var query = run.Queries.FirstOrDefault(q => q.Id == item.QueryId);
        if (query is null) return null;
        if (run.WorkflowTaskInFlight)
        {
            query.Dispatched = false; // goes out after the task in flight
            return null;
        }
        return new PollWorkflowTaskQueueResponse
        {
            TaskToken = new TaskToken('q', run.RunId, 0, 0, query.Id).Encode(),
            WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            WorkflowType = run.Type,
            PreviousStartedEventId = run.PreviousStartedEventId,
            StartedEventId = run.PreviousStartedEventId,
            History = new History { Events = { run.Events.Select(e => e.Clone()) } },
            Query = query.Query,
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal },
            ScheduledTime = Timestamp.FromDateTime(Now),
            StartedTime = Timestamp.FromDateTime(Now),
        };
    }

    public void CompleteQuery(RespondQueryTaskCompletedRequest request)
    {
        using (Guard())
        {
            var token = TaskToken.Decode(request.TaskToken);
            if (token.Kind != 'q' || !_runs.TryGetValue(token.RunId, out var run)) throw RpcErrors.NotFound("query not found");
            AnswerQuery(run, token.QueryId, request.CompletedType == QueryResultType.Answered ? (request.QueryResult, null) : (null, request.ErrorMessage.Length > 0 ? request.ErrorMessage : request.Failure?.Message ?? "query failed"));
        }
    }

    private static void AnswerQuery(WorkflowRun run, string id, (Payloads? Result, string? Error) answer)
    {
        var query = run.Queries.FirstOrDefault(q => q.Id == id);
        if (query is null) return;
        run.Queries.Remove(query);
        query.Answer.TrySetResult(answer);
    }

    public async Task<GetWorkflowExecutionHistoryResponse> HistoryAsync(GetWorkflowExecutionHistoryRequest request, CancellationToken cancellationToken)
    {
        WorkflowRun run;
        using (Guard()) run = Run(request.Namespace, request.Execution);
        var closeOnly = request.HistoryEventFilterType == HistoryEventFilterType.CloseEvent;
        if (request.WaitNewEvent && closeOnly)
        {
            try
            {
                await run.Closed.Task.WaitAsync(TimeSpan.FromSeconds(50), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return new GetWorkflowExecutionHistoryResponse { History = new History(), NextPageToken = Google.Protobuf.ByteString.CopyFromUtf8("wait") };
            }
        }
        using (Guard())
        {
            var events = closeOnly ? run.IsOpen ? [] : run.Events.TakeLast(1) : run.Events;
            return new GetWorkflowExecutionHistoryResponse { History = new History { Events = { events.Select(e => e.Clone()) } } };
        }
    }

    public void Terminate(TerminateWorkflowExecutionRequest request)
    {
        using (Guard())
        {
            var run = Run(request.Namespace, request.WorkflowExecution);
            if (!run.IsOpen) throw RpcErrors.NotFound($"workflow execution {run.WorkflowId} already completed");
            TerminateLocked(run, request.Reason, request.Details, request.Identity);
        }
    }

    public void RequestCancel(RequestCancelWorkflowExecutionRequest request)
    {
        using (Guard())
        {
            var run = Run(request.Namespace, request.WorkflowExecution);
            if (!run.IsOpen) throw RpcErrors.NotFound($"workflow execution {run.WorkflowId} already completed");
            RequestCancelLocked(run, request.Reason, request.Identity);
        }
    }

    public DescribeWorkflowExecutionResponse Describe(DescribeWorkflowExecutionRequest request)
    {
        using (Guard())
        {
            var run = Run(request.Namespace, request.Execution);
            var response = new DescribeWorkflowExecutionResponse
            {
                ExecutionConfig = new WorkflowExecutionConfig { TaskQueue = new TaskQueue { Name = run.TaskQueue, Kind = TaskQueueKind.Normal }, DefaultWorkflowTaskTimeout = run.WorkflowTaskTimeout, UserMetadata = run.Events[0].UserMetadata },
                WorkflowExecutionInfo = Info(run),
            };
            foreach (var activity in run.Activities.Values)
            {
                response.PendingActivities.Add(new PendingActivityInfo
                {
                    ActivityId = activity.Attributes.ActivityId,
                    ActivityType = activity.Attributes.ActivityType,
                    State = activity.CancelRequested ? PendingActivityState.CancelRequested : activity.Started ? PendingActivityState.Started : PendingActivityState.Scheduled,
                    Attempt = activity.Attempt,
                    HeartbeatDetails = activity.HeartbeatDetails,
                    LastFailure = activity.LastFailure,
                    MaximumAttempts = activity.RetryPolicy.MaximumAttempts,
                    ScheduledTime = Timestamp.FromDateTime(activity.CurrentAttemptScheduledTime),
                });
            }
            foreach (var child in run.Children.Values)
                response.PendingChildren.Add(new PendingChildExecutionInfo { WorkflowId = child.WorkflowId, RunId = child.RunId, WorkflowTypeName = child.Type.Name, InitiatedId = child.InitiatedEventId });
            return response;
        }
    }

    private WorkflowExecutionInfo Info(WorkflowRun run)
    {
        var info = new WorkflowExecutionInfo
        {
            Execution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            Type = run.Type,
            StartTime = Timestamp.FromDateTime(run.StartTime),
            ExecutionTime = Timestamp.FromDateTime(run.StartTime),
            Status = run.Status,
            HistoryLength = run.Events.Count,
            Memo = run.Memo,
            SearchAttributes = run.SearchAttributes,
            TaskQueue = run.TaskQueue,
            FirstRunId = run.FirstRunId,
        };
        if (run.CloseTime is { } closed) info.CloseTime = Timestamp.FromDateTime(closed);
        if (run.Parent is { } p)
        {
            info.ParentNamespaceId = p.Namespace;
            info.ParentExecution = new WorkflowExecution { WorkflowId = p.WorkflowId, RunId = p.RunId };
        }
        return info;
    }

    private static readonly Regex Clause = new(@"^\s*`?(\w+)`?\s*(=|!=)\s*(?:'([^']*)'|""([^""]*)""|(\S+))\s*$", RegexOptions.Compiled);

    /// <summary>
    /// Visibility with simple filters: clauses "Field = 'value'" (or !=) joined by AND, on WorkflowId, WorkflowType,
    /// ExecutionStatus, TaskQueue, RunId, or a keyword search attribute; an ORDER BY suffix is accepted (newest first
    /// is the only order). Paged by an offset token.
    /// </summary>
    public ListWorkflowExecutionsResponse List(ListWorkflowExecutionsRequest request)
    {
        var filters = ParseFilters(request.Query);
        lock (_gate)
        {
            var skip = request.NextPageToken.IsEmpty ? 0 : int.Parse(request.NextPageToken.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture);
            var size = request.PageSize > 0 ? request.PageSize : 1000;
            var matching = _runs.Values.Where(r => r.Namespace == request.Namespace && Matches(r, filters)).OrderByDescending(r => r.StartTime).ThenByDescending(r => r.Sequence).ToList();
            var response = new ListWorkflowExecutionsResponse();
            foreach (var run in matching.Skip(skip).Take(size)) response.Executions.Add(Info(run));
            if (skip + size < matching.Count) response.NextPageToken = Google.Protobuf.ByteString.CopyFromUtf8((skip + size).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }

    private static List<(string Field, bool Equal, string Value)> ParseFilters(string query)
    {
        var filters = new List<(string Field, bool Equal, string Value)>();
        var text = Regex.Replace(query, @"\s+ORDER\s+BY\s+.*$", "", RegexOptions.IgnoreCase | RegexOptions.Singleline).Trim();
        if (text.Length == 0 || text.StartsWith("ORDER BY", StringComparison.OrdinalIgnoreCase)) return filters;
        foreach (var part in Regex.Split(text, @"\s+AND\s+", RegexOptions.IgnoreCase))
        {
            var match = Clause.Match(part.Trim().TrimStart('(').TrimEnd(')'));
            if (!match.Success)
                throw RpcErrors.InvalidArgument($"the embedded service understands only clauses like WorkflowType = 'X' joined by AND; cannot parse \"{part.Trim()}\"");
            filters.Add((match.Groups[1].Value, match.Groups[2].Value == "=", match.Groups[3].Success ? match.Groups[3].Value : match.Groups[4].Success ? match.Groups[4].Value : match.Groups[5].Value));
        }
        return filters;
    }

    private static bool Matches(WorkflowRun run, List<(string Field, bool Equal, string Value)> filters) => filters.All(f => (Field(run, f.Field) == f.Value) == f.Equal);

    private static string? Field(WorkflowRun run, string field) => field switch
    {
        "WorkflowId" => run.WorkflowId,
        "RunId" => run.RunId,
        "WorkflowType" => run.Type.Name,
        "TaskQueue" => run.TaskQueue,
        "ExecutionStatus" => run.Status switch
        {
            WorkflowExecutionStatus.Running => "Running",
            WorkflowExecutionStatus.Completed => "Completed",
            WorkflowExecutionStatus.Failed => "Failed",
            WorkflowExecutionStatus.Canceled => "Canceled",
            WorkflowExecutionStatus.Terminated => "Terminated",
            WorkflowExecutionStatus.ContinuedAsNew => "ContinuedAsNew",
            WorkflowExecutionStatus.TimedOut => "TimedOut",
            _ => "Unspecified",
        },
        _ => run.SearchAttributes.IndexedFields.TryGetValue(field, out var payload) ? payload.Data.ToStringUtf8().Trim('"', '[', ']') : null,
    };
}
