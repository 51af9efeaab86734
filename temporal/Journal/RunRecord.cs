using System.Text.Json.Serialization;

namespace CroweLogic.Flow.Temporal.Journal;

/// <summary>
/// The server-side state of one run that its history does not carry (task state, activity attempts, buffered events,
/// children), journaled beside the history. Protobuf messages travel as their wire bytes.
/// </summary>
internal sealed record RunRecord
{
    public required string Namespace { get; init; }
    public required string WorkflowId { get; init; }
    public required string RunId { get; init; }
    public required string FirstRunId { get; init; }
    public required string Type { get; init; }
    public required string TaskQueue { get; init; }
    public required long WorkflowTaskTimeoutTicks { get; init; }
    public required DateTime StartTime { get; init; }
    public string RequestId { get; init; } = "";
    public int Status { get; init; }
    public DateTime? CloseTime { get; init; }
    public byte[] Memo { get; init; } = [];
    public byte[] SearchAttributes { get; init; } = [];
    public ParentRecord? Parent { get; init; }
    public int ParentClosePolicy { get; init; }
    public string? NextRunId { get; init; }
    public bool CancelRequested { get; init; }
    public bool WorkflowTaskPending { get; init; }
    public bool WorkflowTaskInFlight { get; init; }
    public long WorkflowTaskScheduledId { get; init; }
    public long WorkflowTaskStartedId { get; init; }
    public int WorkflowTaskAttempt { get; init; } = 1;
    public long PreviousStartedEventId { get; init; }
    public int Generation { get; init; }
    public List<byte[]> Buffered { get; init; } = [];
    public List<ActivityRecord> Activities { get; init; } = [];
    public Dictionary<string, long> Timers { get; init; } = [];
    public List<ChildRecord> Children { get; init; } = [];
}

/// <summary>The parent of a child run.</summary>
internal sealed record ParentRecord(string Namespace, string WorkflowId, string RunId, long InitiatedEventId);

/// <summary>A scheduled activity's attempt state (its attributes are in its ActivityTaskScheduled event).</summary>
internal sealed record ActivityRecord
{
    public required long ScheduledEventId { get; init; }
    public required DateTime ScheduledTime { get; init; }
    public int Attempt { get; init; }
    public DateTime CurrentAttemptScheduledTime { get; init; }
    public bool Started { get; init; }
    public DateTime StartedTime { get; init; }
    public DateTime LastHeartbeat { get; init; }
    public byte[]? HeartbeatDetails { get; init; }
    public string Identity { get; init; } = "";
    public bool CancelRequested { get; init; }
    public long CancelRequestedEventId { get; init; }
    public byte[]? LastFailure { get; init; }
    public int Token { get; init; }
    public DateTime? RetryDue { get; init; }
}

/// <summary>A child workflow a run started.</summary>
internal sealed record ChildRecord(long InitiatedEventId, string WorkflowId, string Type, string RunId);

/// <summary>Source-generated JSON for the journal's records.</summary>
[JsonSerializable(typeof(RunRecord))]
internal sealed partial class RunRecordJson : JsonSerializerContext;
