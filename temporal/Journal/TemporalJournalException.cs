namespace CroweLogic.Flow.Temporal.Journal;

/// <summary>The journal cannot be used: corrupt, of another schema, held by another service, or failing to write.</summary>
public sealed class TemporalJournalException(string message, Exception? inner = null) : Exception(message, inner);
