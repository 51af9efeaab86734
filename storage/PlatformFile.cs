using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CroweLogic.Flow.Storage;

/// <summary>
/// <c>&lt;data-dir&gt;/flow.json</c>: what a running <c>flow up</c> serves and how to reach it — the process, its
/// ClickHouse HTTP and Arrow Flight addresses, and a local user and token (the file is mode 600, so only its owner can
/// read the token). Every other command reads it and becomes the platform's client.
/// </summary>
public sealed record PlatformFile
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "flow.json";


    /// <summary>The platform's process.</summary>
    public required int Pid { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>The data directory it owns.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The ClickHouse HTTP interface (http://host:port/).</summary>
    public required string ClickHouseHttp { get; init; }

    /// <summary>The Arrow Flight service.</summary>
    public required string Flight { get; init; }

    /// <summary>The Prometheus scrape endpoint.</summary>
    public string Metrics { get; init; } = "";

    /// <summary>The Temporal frontend (gRPC host:port), empty when the platform serves none.</summary>
    public string Temporal { get; init; } = "";

    /// <summary>The Temporal Web UI (http://host:port/), empty when the platform serves none.</summary>
    public string TemporalUi { get; init; } = "";

    /// <summary>The local read-write user.</summary>
    public required string User { get; init; }

    /// <summary>Its token (the ClickHouse password and the Flight bearer token).</summary>
    public required string Token { get; init; }

    /// <summary>The ClickHouse URL a client connects with (credentials included).</summary>
    [JsonIgnore]
    public string ClientUrl => new UriBuilder(ClickHouseHttp) { UserName = Uri.EscapeDataString(User), Password = Uri.EscapeDataString(Token) }.Uri.ToString();

    /// <summary>Where the file is for a data directory.</summary>
    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, FileName);

    /// <summary>The file in <paramref name="dataDirectory"/>, or null when there is none.</summary>
    /// <exception cref="StoreUnavailableException">The file exists but cannot be read.</exception>
    public static PlatformFile? Read(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), PlatformFileJson.Default.PlatformFile) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException($"{path} names a running platform but cannot be read ({e.Message}); if no `flow up` runs, delete it");
        }
    }

    /// <summary>Whether its process is still running.</summary>
    public bool IsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Writes the file (mode 600) into its data directory.</summary>
    public void Write()
    {
        var path = PathIn(DataDirectory);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, this, PlatformFileJson.Default.PlatformFile);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the file if it is this platform's.</summary>
    public void Remove()
    {
        if (Read(DataDirectory) is { } current && current.Pid == Pid && current.Started == Started) File.Delete(PathIn(DataDirectory));
    }
}
