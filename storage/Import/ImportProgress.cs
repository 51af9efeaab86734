namespace CroweLogic.Flow.Storage.Import;

/// <summary>Progress of a multi-file import.</summary>
/// <param name="Item">What is being loaded now.</param>
/// <param name="Done">Items finished.</param>
/// <param name="Total">Items in all.</param>
public readonly record struct ImportProgress(string Item, int Done, int Total);
