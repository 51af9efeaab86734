namespace CroweLogic.Flow.Storage.Tests;

/// <summary>The real market data in ../shared/data beside the checkout (present on developer machines and in CI).</summary>
internal static class SharedDataPaths
{
    public static string Root { get; } = Find();

    public static string LeanTick(string symbol, string file) => Path.Combine(Root, "lean", "Data", "equity", "usa", "tick", symbol, file);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "lean"))) return candidate;
        }
        throw new DirectoryNotFoundException($"shared/data was not found above {AppContext.BaseDirectory}; the tests read the real LEAN sample from it");
    }
}
