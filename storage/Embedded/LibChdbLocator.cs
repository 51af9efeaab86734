using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CroweLogic.Flow.Storage.Embedded;

/// <summary>
/// Finds libchdb (the ClickHouse engine as a shared library) and, on a fresh machine, installs it
/// from the npm registry into a per-user cache outside the repository, verifying both the package
/// tarball and the library against pinned SHA-256 digests.
/// </summary>
public static class LibChdbLocator
{
    /// <summary>The pinned npm package.</summary>
    public const string Package = "@chdb/lib-linux-x64-gnu";

    /// <summary>The pinned package version (ClickHouse 26.5 engine).</summary>
    public const string Version = "26.5.3";

    /// <summary>SHA-256 of the npm tarball of <see cref="Version"/>.</summary>
    public const string TarballSha256 = "b874e449710950da3abd7e20376f7bb3387d9e03adcc7082f022be18dfdf316a";

    /// <summary>SHA-256 of package/libchdb.so inside it.</summary>
    public const string LibrarySha256 = "4330da79405733f7572f27c1442f46c03a08301f00859dce0368645731b1e1dc";

    /// <summary>Environment variable naming an explicit libchdb.so to use.</summary>
    public const string PathVariable = "FLOW_LIBCHDB";

    /// <summary>Environment variable that, set to 0/false/no, forbids the automatic install.</summary>
    public const string AutoInstallVariable = "FLOW_LIBCHDB_AUTO_INSTALL";

    /// <summary>The cache root: FLOW_CACHE_DIR, else $XDG_CACHE_HOME/crowelogic-flow, else ~/.cache/crowelogic-flow.</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("FLOW_CACHE_DIR") is { Length: > 0 } explicitDir ? explicitDir
        : Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "crowelogic-flow");

    /// <summary>Where the pinned library is installed.</summary>
    public static string CachedLibraryPath => Path.Combine(CacheRoot, "libchdb", Version, "libchdb.so");

    /// <summary>
    /// Returns the path of a usable libchdb.so, installing it when allowed.
    /// </summary>
    /// <param name="allowInstall">Whether a missing library may be downloaded (still subject to FLOW_LIBCHDB_AUTO_INSTALL).</param>
    /// <param name="progress">Receives human-readable progress lines during an install.</param>
    /// <exception cref="LibChdbMissingException">No library, and it may not or could not be installed.</exception>
    public static string Resolve(bool allowInstall = true, Action<string>? progress = null) =>
        Resolve(Environment.GetEnvironmentVariable(PathVariable), CachedLibraryPath,
            allowInstall && Environment.GetEnvironmentVariable(AutoInstallVariable)?.Trim().ToLowerInvariant() is not ("0" or "false" or "no"), progress);

    /// <summary>
    /// Resolution with its inputs explicit: an explicit library path (FLOW_LIBCHDB), else the cached copy, else an install
    /// when <paramref name="allowInstall"/>.
    /// </summary>
    public static string Resolve(string? explicitPath, string cachedLibraryPath, bool allowInstall, Action<string>? progress)
    {
        if (explicitPath is { Length: > 0 })
        {
            if (File.Exists(explicitPath)) return Path.GetFullPath(explicitPath);
            throw new LibChdbMissingException(
                $"{PathVariable} points at '{explicitPath}', which does not exist. Fix: unset {PathVariable} to use the managed copy " +
                $"(installed by `flow setup`), or point it at an existing libchdb.so from npm package {Package}@{Version}.");
        }

        var cached = cachedLibraryPath;
        if (IsInstalled(cached)) return cached;

        if (!allowInstall)
        {
            throw new LibChdbMissingException(
                $"libchdb {Version} (the embedded ClickHouse engine) is not installed at '{cached}'. Fix: run `flow setup` " +
                $"(it runs `npm pack {Package}@{Version}` and verifies the checksum), or set {PathVariable} to an existing libchdb.so, " +
                $"or use a ClickHouse server with --clickhouse-url / CLICKHOUSE_URL.");
        }

        Install(cached, progress ?? (_ => { }));
        return cached;
    }

    /// <summary>True when the cached library is present and matches the size and time recorded when it was verified.</summary>
    public static bool IsInstalled(string libraryPath)
    {
        var marker = libraryPath + ".verified";
        if (!File.Exists(libraryPath) || !File.Exists(marker)) return false;
        var info = new FileInfo(libraryPath);
        return File.ReadAllText(marker).Trim() == Stamp(info);
    }

    /// <summary>Downloads, verifies and installs the pinned library at <paramref name="target"/> (safe against concurrent installers).</summary>
    /// <exception cref="LibChdbMissingException">npm is missing or failed, or a checksum did not match.</exception>
    public static void Install(string target, Action<string> progress)
    {
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        using var installLock = AcquireLock(Path.Combine(dir, ".install.lock"), progress);
        if (IsInstalled(target)) return; // another process finished while we waited

        var work = Path.Combine(dir, "download-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            progress($"installing libchdb {Version}: npm pack {Package}@{Version} (≈170 MB download)");
            var tarball = NpmPack(work);
            progress("verifying package checksum");
            var tarballHash = HashFile(tarball);
            if (tarballHash != TarballSha256)
                throw new LibChdbMissingException($"the downloaded {Package}@{Version} tarball has SHA-256 {tarballHash}, expected {TarballSha256}; refusing to install it. Remove {work} and retry, or check the npm registry configuration.");

            progress("extracting libchdb.so (≈560 MB)");
            var partial = target + ".partial";
            var libraryHash = ExtractLibrary(tarball, partial);
            if (libraryHash != LibrarySha256)
            {
                File.Delete(partial);
                throw new LibChdbMissingException($"libchdb.so inside the package has SHA-256 {libraryHash}, expected {LibrarySha256}; refusing to install it.");
            }

            File.Move(partial, target, overwrite: true);
            File.WriteAllText(target + ".verified", Stamp(new FileInfo(target)));
            progress($"libchdb {Version} installed at {target}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Stamp(FileInfo info) => $"{LibrarySha256} {info.Length} {info.LastWriteTimeUtc.Ticks}";

    private static string NpmPack(string workDir)
    {
        var psi = new ProcessStartInfo("npm", ["pack", $"{Package}@{Version}", "--pack-destination", workDir, "--silent"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir,
        };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("npm did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new LibChdbMissingException($"cannot run npm to install libchdb ({e.Message}). Fix: install Node.js/npm (apt-get install -y npm), or set {PathVariable} to an existing libchdb.so.");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new LibChdbMissingException($"`npm pack {Package}@{Version}` failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }
        return Directory.GetFiles(workDir, "*.tgz").SingleOrDefault()
            ?? throw new LibChdbMissingException($"`npm pack {Package}@{Version}` succeeded but left no tarball in {workDir}");
    }

    private static string ExtractLibrary(string tarball, string destination)
    {
        using var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name != "package/libchdb.so" || entry.DataStream is null) continue;
            using var output = File.Create(destination);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            int read;
            while ((read = entry.DataStream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        throw new LibChdbMissingException($"the {Package}@{Version} tarball holds no package/libchdb.so");
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static FileStream AcquireLock(string path, Action<string> progress)
    {
        var announced = false;
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!announced) progress("another process is installing libchdb; waiting for it");
                announced = true;
                Thread.Sleep(500);
            }
        }
    }
}
