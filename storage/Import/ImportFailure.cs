namespace CroweLogic.Flow.Storage.Import;

/// <summary>A file of a folder that was not imported, and why (the rest of the folder still is).</summary>
/// <param name="Path">The file.</param>
/// <param name="Error">What is wrong with it, as the single-file import would say.</param>
public sealed record ImportFailure(string Path, string Error);
