using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Query.V1;

namespace CroweLogic.Flow.Temporal;

/// <summary>One run of a workflow execution: its history and the server-side state derived from it.</summary>
internal sealed class WorkflowRun
{
    public required string Namespace { get; init; }
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string FirstRunId { get; init; }
    public required WorkflowType Type { get; init; }
    public required string TaskQueue { get; init; }
    public required Duration WorkflowTaskTimeout { get; init; }
    public required DateTime StartTime { get; init; }
    public string RequestId { get; init; } = "";
    /// <summary>Creation order across the service (the journal restores runs in it).</summary>
    public long Sequence { get; init; }
    public List<HistoryEvent> Events { get; } = [];
    /// <summary>How many of <see cref="Events"/> the journal holds.</summary>
    public int PersistedEvents { get; set; }
    public WorkflowExecutionStatus Status { get; set; } = WorkflowExecutionStatus.Running;
    public DateTime? CloseTime { get; set; }
    public Memo Memo { get; set; } = new();
    public SearchAttributes SearchAttributes { get; set; } = new();
    public (string Namespace, string WorkflowId, string RunId, long InitiatedEventId)? Parent { get; init; }
    public ParentClosePolicy ParentClosePolicy { get; init; } = ParentClosePolicy.Terminate;
    public string? NextRunId { get; set; }
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Workflow task state: a task is pending (scheduled, not yet handed out) or in flight (handed out, not answered).
    public bool WorkflowTaskPending { get; set; }
    public bool WorkflowTaskInFlight { get; set; }
    public long WorkflowTaskScheduledId { get; set; }
    public long WorkflowTaskStartedId { get; set; }
    public int WorkflowTaskAttempt { get; set; } = 1;
    /// <summary>WorkflowTaskStarted id of the last completed workflow task (0 before the first).</summary>
    public long PreviousStartedEventId { get; set; }
    public int Generation { get; set; }

    /// <summary>Events that arrived while a workflow task was in flight, written after its completion.</summary>
    public List<HistoryEvent> Buffered { get; } = [];

    public Dictionary<long, ActivityState> Activities { get; } = [];
    /// <summary>Running timers: TimerStarted event id by timer id (the event id also tells a re-used timer id apart).</summary>
    public Dictionary<string, long> Timers { get; } = new(StringComparer.Ordinal);
    public Dictionary<long, ChildState> Children { get; } = [];
    public List<PendingQuery> Queries { get; } = [];
    public bool CancelRequested { get; set; }

    public bool IsOpen => Status == WorkflowExecutionStatus.Running;

    public long NextEventId => Events.Count + 1;
}

/// <summary>A scheduled activity and its retry/timeout state.</summary>
internal sealed class ActivityState
{
    public required long ScheduledEventId { get; init; }
    public required ActivityTaskScheduledEventAttributes Attributes { get; init; }
    public required RetryPolicy RetryPolicy { get; init; }
    public required DateTime ScheduledTime { get; init; }
    public int Attempt { get; set; } = 1;
    public DateTime CurrentAttemptScheduledTime { get; set; }
    public bool Started { get; set; }
    public DateTime StartedTime { get; set; }
    public DateTime LastHeartbeat { get; set; }
    public Payloads? HeartbeatDetails { get; set; }
    public string Identity { get; set; } = "";
    public bool CancelRequested { get; set; }
    public long CancelRequestedEventId { get; set; }
    public Temporalio.Api.Failure.V1.Failure? LastFailure { get; set; }
    public int Token { get; set; }
    /// <summary>When the next attempt is due, while it waits out its retry back-off.</summary>
    public DateTime? RetryDue { get; set; }
}

/// <summary>A child workflow started by this run.</summary>
internal sealed class ChildState
{
    public required long InitiatedEventId { get; init; }
    public required string WorkflowId { get; init; }
    public required WorkflowType Type { get; init; }
    public string RunId { get; set; } = "";
}

/// <summary>A query waiting for a worker's answer.</summary>
internal sealed class PendingQuery
{
    public required string Id { get; init; }
    public required WorkflowQuery Query { get; init; }
    public bool Dispatched { get; set; }
    public TaskCompletionSource<(Payloads? Result, string? Error)> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What a task token names: a workflow task, an activity attempt, or a query.</summary>
internal readonly record struct TaskToken(char Kind, string RunId, long EventId, int Generation, string QueryId = "")
{
    public ByteString Encode() => ByteString.CopyFromUtf8($"{Kind}|{RunId}|{EventId}|{Generation}|{QueryId}");

    public static TaskToken Decode(ByteString token)
    {
        var parts = token.ToStringUtf8().Split('|');
        if (parts.Length != 5 || parts[0].Length != 1 || !long.TryParse(parts[2], out var id) || !int.TryParse(parts[3], out var generation))
            throw RpcErrors.InvalidArgument("malformed task token");
        return new TaskToken(parts[0][0], parts[1], id, generation, parts[4]);
    }
}
