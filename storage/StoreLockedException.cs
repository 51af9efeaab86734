namespace CroweLogic.Flow.Storage;

/// <summary>The embedded data directory is held by another store (in this or another process).</summary>
public sealed class StoreLockedException(string message) : Exception(message);
