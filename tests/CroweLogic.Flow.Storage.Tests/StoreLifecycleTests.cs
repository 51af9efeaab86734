using System.Diagnostics;
using CroweLogic.Flow.Storage.Audit;
using CroweLogic.Flow.Storage.Embedded;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Storage.Tests;

public class StoreLifecycleTests
{
    [Fact]
    public async Task A_second_opener_in_this_process_gets_a_clear_error()
    {
        using var temp = await TempStore.CreateAsync();
        var error = Assert.Throws<StoreLockedException>(() => EmbeddedClickHouseStore.Open(temp.Directory));
        Assert.Contains("already open in this process", error.Message);
        Assert.Equal(0, await temp.CountAsync("SELECT count() FROM trades")); // the first store is unharmed
    }

    [Fact]
    public async Task A_directory_held_by_another_process_is_refused()
    {
        using var tmp = new TempDirectory("flow-lock-");
        var dir = tmp.Path;
        {
            // util-linux flock takes the same flock(2) lock .NET takes for FileShare.None; --close keeps the lock out of the
            // sleeping child, so killing flock releases it at once.
            var lockFile = Path.Combine(dir, ".flow.lock");
            File.WriteAllText(lockFile + ".owner", "pid 1 on another host since then");
            using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "20"]))!;
            try
            {
                await WaitForLockAsync(lockFile);
                var error = Assert.Throws<StoreLockedException>(() => EmbeddedClickHouseStore.Open(dir));
                Assert.Contains("in use by another process (pid 1 on another host", error.Message);
                Assert.Contains("--data-dir", error.Message);
            }
            finally
            {
                holder.Kill(entireProcessTree: true);
                await holder.WaitForExitAsync();
            }
            using var reopened = EmbeddedClickHouseStore.Open(dir); // usable once the other process is gone
        }
    }

    [Fact]
    public async Task A_platform_file_is_stale_when_nothing_answers_and_nobody_holds_the_directory()
    {
        using var tmp = new TempDirectory("flow-stale-");
        // A killed platform's file whose pid now belongs to a live process (this one), naming a port nobody serves.
        var file = new PlatformFile
        {
            Pid = Environment.ProcessId, Started = DateTimeOffset.UtcNow, DataDirectory = tmp.Path,
            ClickHouseHttp = "http://127.0.0.1:9/", Flight = "http://127.0.0.1:9/", User = "local", Token = "token",
        };
        file.Write();
        using (var store = await FlowStores.OpenAsync(new StoreOptions(tmp.Path)))
            Assert.IsType<EmbeddedClickHouseStore>(store);

        // With the directory held by another process, the same file names a platform that does not answer.
        var lockFile = Path.Combine(tmp.Path, ".flow.lock");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockFile, "sleep", "20"]))!;
        try
        {
            await WaitForLockAsync(lockFile);
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => FlowStores.OpenAsync(new StoreOptions(tmp.Path)));
            Assert.Contains($"flow up (pid {Environment.ProcessId}) owns {tmp.Path} but does not answer at http://127.0.0.1:9/", error.Message);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
    }

    [Fact]
    public void A_missing_library_says_how_to_fix_it()
    {
        var error = Assert.Throws<LibChdbMissingException>(() => LibChdbLocator.Resolve("/nonexistent/libchdb.so", "/unused", allowInstall: true, progress: null));
        Assert.Contains("FLOW_LIBCHDB points at '/nonexistent/libchdb.so', which does not exist", error.Message);

        var emptyCache = Path.Combine(Path.GetTempPath(), $"flow-empty-cache-{Guid.NewGuid():N}", "libchdb.so");
        error = Assert.Throws<LibChdbMissingException>(() => LibChdbLocator.Resolve(null, emptyCache, allowInstall: false, progress: null));
        Assert.Contains("is not installed", error.Message);
        Assert.Contains("run `flow setup`", error.Message);
        Assert.Contains("CLICKHOUSE_URL", error.Message);
    }

    [Fact]
    public void A_cached_library_that_changed_since_verification_is_not_trusted()
    {
        using var dir = new TempDirectory("flow-lib-");
        {
            var lib = dir.File("libchdb.so");
            File.WriteAllText(lib, "not a library");
            File.WriteAllText(lib + ".verified", $"{LibChdbLocator.LibrarySha256} 999 0");
            Assert.False(LibChdbLocator.IsInstalled(lib));
            Assert.Throws<LibChdbMissingException>(() => LibChdbLocator.Resolve(null, lib, allowInstall: false, progress: null));
        }
    }

    [Fact]
    public async Task The_audit_log_chains_and_detects_tampering_in_the_table()
    {
        using var temp = await TempStore.CreateAsync();
        long clock = 1_700_000_000_000_000_000;
        var log = new AuditLog(temp.Store, () => clock++);
        await log.AppendAsync("alice", "approve", "sha256:aa", "{\"stage\":\"canary\"}");
        var second = await log.AppendAsync("bob", "approve", "sha256:aa", "{\"stage\":\"canary\"}");
        await log.AppendAsync("flow", "deploy", "sha256:aa", "{\"capital\":0.05}");
        Assert.Equal(2, second.Sequence);
        Assert.Null(await log.VerifyAsync());

        await temp.Store.ExecuteAsync("ALTER TABLE audit_log UPDATE payload = '{\"capital\":1.0}' WHERE seq = 3 SETTINGS mutations_sync = 1");
        Assert.Equal("entry 3: content does not match its hash (altered after it was written)", await log.VerifyAsync());
    }

    private static async Task WaitForLockAsync(string lockFile)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)) { }
            }
            catch (IOException)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("flock never took the lock");
    }
}

/// <summary>The runtime keeps its fault handling with the engine loaded.</summary>
public class HostSignalTests
{
    private sealed class Holder(string value)
    {
        public string Value { get; } = value;
    }

    [Fact]
    public async Task A_null_dereference_after_opening_a_store_is_an_exception_not_a_hang()
    {
        using var temp = await TempStore.CreateAsync();
        Holder? nothing = null;
        var zero = 0;
        // On a dedicated thread: if the engine's handler swallowed the fault, only that thread would hang.
        var fault = Task.Factory.StartNew(() =>
        {
            var caught = new List<string>();
            try
            {
                _ = nothing!.Value.Length;
            }
            catch (NullReferenceException)
            {
                caught.Add("null");
            }
            try
            {
                _ = 1 / zero;
            }
            catch (DivideByZeroException)
            {
                caught.Add("divide");
            }
            return caught;
        }, TaskCreationOptions.LongRunning);
        Assert.Equal(["null", "divide"], await fault.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, await temp.CountAsync("SELECT 1"));
    }
}
