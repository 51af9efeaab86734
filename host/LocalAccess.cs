using CroweLogic.Flow.Gateways.Flight;

namespace CroweLogic.Flow.Host;

/// <summary>
/// The access a platform gives when no access file is named: one read-write principal, <c>local</c>, whose token is
/// in <c>&lt;data-dir&gt;/flight-token</c> (created once, mode 600, so only the directory's owner can read it) or in
/// <c>$FLOW_FLIGHT_TOKEN</c>.
/// </summary>
public static class LocalAccess
{
    /// <summary>Environment variable holding the token instead of the file.</summary>
    public const string TokenVariable = "FLOW_FLIGHT_TOKEN";

    /// <summary>The principal's name (the ClickHouse user).</summary>
    public const string User = "local";

    /// <summary>The access list and where its token came from.</summary>
    public static (FlightAccessList Access, string Token, string Source) Load(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
            return (Of(token), token, $"${TokenVariable}");
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "flight-token");
        if (!File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(FlightAccessList.NewToken());
        }
        token = File.ReadAllText(path).Trim();
        return (Of(token), token, path);
    }

    private static FlightAccessList Of(string token) => FlightAccessList.Of([(token, new FlightPrincipal(User, FlightRole.ReadWrite))]);
}
