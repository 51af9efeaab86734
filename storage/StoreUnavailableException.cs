namespace CroweLogic.Flow.Storage;

/// <summary>The store cannot be reached or opened: a platform that does not answer, an unreadable platform file.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
