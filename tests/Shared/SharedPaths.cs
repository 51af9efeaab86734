namespace CroweLogic.Flow.Tests.Shared;

/// <summary>The read-only ../shared folder beside the checkout (real market data and reference values; present locally and in CI).</summary>
public static class SharedPaths
{
    private static string? s_root;
    private static string? s_repository;

    /// <summary>../shared (found on first use, so code that needs only the checkout runs without it).</summary>
    public static string Root => s_root ??= Find();

    /// <summary>../shared/data.</summary>
    public static string Data => Path.Combine(Root, "data");

    /// <summary>../shared/reference.</summary>
    public static string Reference => Path.Combine(Root, "reference");

    /// <summary>A LEAN US-equity tick file.</summary>
    public static string LeanTick(string symbol, string file) => Path.Combine(Data, "lean", "Data", "equity", "usa", "tick", symbol, file);

    /// <summary>The checkout (the folder holding CroweLogic.Flow.sln above the test binaries).</summary>
    public static string RepositoryRoot => s_repository ??= FindRepository();

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CroweLogic.Flow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"CroweLogic.Flow.sln was not found above {AppContext.BaseDirectory}");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data")) && Directory.Exists(Path.Combine(candidate, "reference"))) return candidate;
        }
        throw new DirectoryNotFoundException($"shared/ (with data/ and reference/) was not found above {AppContext.BaseDirectory}");
    }
}
