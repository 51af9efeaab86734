namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>
/// Where the built Temporal Web UI lives: <c>temporal/ui</c> (our SvelteKit route shell around npm
/// <c>@temporalio/ui</c>) is built by <c>./flow setup</c> with the UI's own toolchain into
/// <c>~/.cache/crowelogic-flow/temporal-ui/&lt;release&gt;/</c>, so later runs are offline.
/// </summary>
public static class TemporalUiBuild
{
    /// <summary>The UI release built (npm @temporalio/ui).</summary>
    public const string Release = "2.38.0";

    /// <summary>The cache directory of this release's build.</summary>
    public static string Directory => Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "crowelogic-flow", "temporal-ui", Release);

    /// <summary>The built UI (a directory with index.html), or null when it has not been built on this machine.</summary>
    public static string? Locate() => File.Exists(Path.Combine(Directory, "index.html")) ? Directory : null;
}
