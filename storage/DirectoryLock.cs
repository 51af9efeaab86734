namespace CroweLogic.Flow.Storage;

/// <summary>
/// An exclusive lock on a lock file, held for a component's lifetime (the embedded store, the embedded Temporal
/// service): <see cref="FileShare.None"/> takes an exclusive flock on Unix, so a second opener in this process or
/// another fails, and the kernel drops the lock when the holder dies (kill -9 leaves nothing to clean up). An owner
/// file beside it says who holds it, for the refusal message.
/// </summary>
public static class DirectoryLock
{
    /// <summary>Takes the lock at <paramref name="path"/>, or returns null with the holder's description.</summary>
    public static FileStream? TryAcquire(string path, out string owner)
    {
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(path + ".owner", $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:O}");
            owner = "";
            return stream;
        }
        catch (IOException)
        {
            owner = File.Exists(path + ".owner") ? File.ReadAllText(path + ".owner") : "unknown owner";
            return null;
        }
    }

    /// <summary>Whether the holder named in <paramref name="owner"/> is this process.</summary>
    public static bool HeldByThisProcess(string owner) => owner.StartsWith($"pid {Environment.ProcessId} ", StringComparison.Ordinal);

    /// <summary>Whether some process holds the lock at <paramref name="path"/>.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
