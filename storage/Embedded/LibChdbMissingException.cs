namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>The embedded ClickHouse library is absent or unusable; the message says how to fix it.</summary>
public sealed class LibChdbMissingException(string message) : Exception(message);
