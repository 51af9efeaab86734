using System.Diagnostics;
using System.Security.Cryptography;
using CroweLogic.Flow.Temporal.HttpApi;

namespace CroweLogic.Flow.Cli.Temporal;

/// <summary>
/// Builds the Temporal Web UI for <c>flow up</c>: the checkout's route shell (<c>temporal/ui</c>, pinned by its
/// package-lock.json) around npm <c>@temporalio/ui</c>, with the UI's own toolchain (SvelteKit, Vite, Tailwind), into
/// the user cache. A content stamp of the shell decides whether to build, so later runs are offline.
/// </summary>
internal static class TemporalUiSetup
{
    /// <summary>The shell in the checkout this flow was built from, or null (an installed flow outside a checkout).</summary>
    public static string? SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "temporal", "ui");
            if (File.Exists(Path.Combine(candidate, "package-lock.json"))) return candidate;
        }
        return null;
    }

    /// <summary>Builds the UI unless the cached build is of the same shell; returns where it is.</summary>
    /// <exception cref="InvalidOperationException">No shell beside this build, or npm failed (its output is in the message).</exception>
    public static async Task<string> EnsureBuiltAsync(Action<string> progress, CancellationToken cancellationToken)
    {
        var source = SourceDirectory() ?? throw new InvalidOperationException("the Temporal UI shell (temporal/ui) is not beside this flow build: run ./flow setup from the checkout");
        var stamp = Stamp(source);
        var target = TemporalUiBuild.Directory;
        var stampFile = Path.Combine(target, ".source-stamp");
        if (TemporalUiBuild.Locate() is not null && File.Exists(stampFile) && (await File.ReadAllTextAsync(stampFile, cancellationToken).ConfigureAwait(false)) == stamp) return target;
        progress($"building the Temporal Web UI (npm @temporalio/ui {TemporalUiBuild.Release}, SvelteKit and Vite) into {target}");
        var staging = target + ".building";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        await RunAsync(source, staging, cancellationToken, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").ConfigureAwait(false);
        await RunAsync(source, staging, cancellationToken, "npx", "svelte-kit", "sync").ConfigureAwait(false);
        await RunAsync(source, staging, cancellationToken, "npx", "vite", "build").ConfigureAwait(false);
        if (!File.Exists(Path.Combine(staging, "index.html"))) throw new InvalidOperationException($"the Temporal UI build wrote no index.html into {staging}");
        await File.WriteAllTextAsync(Path.Combine(staging, ".source-stamp"), stamp, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(staging, target);
        return target;
    }

    private static string Stamp(string source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(source, f).Split(Path.DirectorySeparatorChar).Any(p => p is "node_modules" or ".svelte-kit" or "build"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(source, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return $"{TemporalUiBuild.Release} {Convert.ToHexString(hash.GetHashAndReset())}";
    }

    private static async Task RunAsync(string workingDirectory, string output, CancellationToken cancellationToken, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["FLOW_UI_OUT"] = output;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed in {workingDirectory} (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}");
    }
}
