using Temporalio.Api.History.V1;

namespace CroweLogic.Flow.Temporal.Journal;

/// <summary>What a journal held at open.</summary>
internal sealed record JournalContents(IReadOnlyList<string> Namespaces, IReadOnlyList<SearchAttributeChange> SearchAttributes, IReadOnlyList<LoadedRun> Runs);

/// <summary>A run read back: its creation order, state and history.</summary>
internal sealed record LoadedRun(long Sequence, RunRecord Record, List<HistoryEvent> Events);
