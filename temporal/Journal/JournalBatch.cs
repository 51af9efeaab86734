namespace CroweLogic.Flow.Temporal.Journal;

/// <summary>One engine change set: new namespaces, search attribute registrations and each changed run's state and new events.</summary>
internal sealed record JournalBatch(IReadOnlyList<string> Namespaces, IReadOnlyList<SearchAttributeChange> SearchAttributes, IReadOnlyList<RunWrite> Runs)
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A run's new state and the events appended since its last write.</summary>
internal sealed record RunWrite(string RunId, long Sequence, bool Open, long? CloseTicks, string State, long FirstEventId, IReadOnlyList<byte[]> Events);

/// <summary>A custom search attribute registered (its IndexedValueType) or removed (a negative type).</summary>
internal sealed record SearchAttributeChange(string Namespace, string Name, int Type);
