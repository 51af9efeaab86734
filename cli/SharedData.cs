namespace CroweLogic.Flow.Cli;

/// <summary>Finds the shared real-data folder (the one holding sp500-daily/ and lean/).</summary>
internal static class SharedData
{
    public const string Variable = "FLOW_SHARED_DATA";

    public static string Locate(string? explicitPath)
    {
        if (explicitPath is not null)
            return IsDataDir(explicitPath) ? Path.GetFullPath(explicitPath) : throw new DirectoryNotFoundException($"{explicitPath} holds neither sp500-daily/ nor lean/");
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnv)
            return IsDataDir(fromEnv) ? Path.GetFullPath(fromEnv) : throw new DirectoryNotFoundException($"{Variable}={fromEnv} holds neither sp500-daily/ nor lean/");
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "data"), Path.Combine(dir.FullName, "data") })
                    if (IsDataDir(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException($"cannot find the shared data folder (with sp500-daily/ and lean/); pass --shared-data <dir> or set {Variable}");
    }

    private static bool IsDataDir(string dir) => Directory.Exists(Path.Combine(dir, "sp500-daily")) || Directory.Exists(Path.Combine(dir, "lean"));
}
