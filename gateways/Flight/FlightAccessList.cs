using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// Who may call the Flight service: long-lived tokens from an access file, and short-lived session tokens issued by
/// Handshake. Only SHA-256 digests of tokens are kept; lookups compare digests in constant time.
/// </summary>
public sealed class FlightAccessList
{
    private readonly IReadOnlyList<(byte[] Digest, FlightPrincipal Principal)> _tokens;
    private readonly ConcurrentDictionary<string, (FlightPrincipal Principal, DateTimeOffset Expires)> _sessions = new();
    private readonly TimeProvider _time;

    private FlightAccessList(IReadOnlyList<(byte[] Digest, FlightPrincipal Principal)> tokens, TimeSpan sessionLifetime, TimeProvider time)
    {
        _tokens = tokens;
        SessionLifetime = sessionLifetime;
        _time = time;
    }

    /// <summary>How long a Handshake session token stays valid.</summary>
    public TimeSpan SessionLifetime { get; }

    /// <summary>The principals, for startup messages.</summary>
    public IEnumerable<FlightPrincipal> Principals => _tokens.Select(t => t.Principal);

    /// <summary>An access list of the given principals and their tokens.</summary>
    public static FlightAccessList Of(IEnumerable<(string Token, FlightPrincipal Principal)> entries, TimeSpan? sessionLifetime = null, TimeProvider? time = null)
    {
        var tokens = entries.Select(e => (Digest(e.Token), e.Principal)).ToList();
        if (tokens.Count == 0) throw new FlightConfigurationException("the access list names no principal; nobody could call the service");
        return new FlightAccessList(tokens, sessionLifetime ?? TimeSpan.FromHours(8), time ?? TimeProvider.System);
    }

    /// <summary>A fresh random token (256 bits, base64url).</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Reads an access file: <c>{"session_hours": 8, "principals": [{"name": "research", "role": "read", "token": "…"},
    /// {"name": "loader", "role": "read_write", "token_sha256": "hex"}]}</c>. Errors name the entry and the key.
    /// </summary>
    public static FlightAccessList Load(string path)
    {
        if (!File.Exists(path)) throw new FlightConfigurationException($"access file {path} does not exist");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FlightConfigurationException($"access file {path} is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FlightConfigurationException($"access file {path}: the top level must be an object");
            var lifetime = TimeSpan.FromHours(8);
            var entries = new List<(byte[], FlightPrincipal)>();
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "session_hours":
                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var hours) || hours <= 0 || hours > 24 * 30)
                            throw new FlightConfigurationException($"access file {path}: session_hours must be a number in (0, 720]");
                        lifetime = TimeSpan.FromHours(hours);
                        break;
                    case "principals":
                        if (property.Value.ValueKind != JsonValueKind.Array) throw new FlightConfigurationException($"access file {path}: principals must be an array");
                        var index = 0;
                        foreach (var entry in property.Value.EnumerateArray()) entries.Add(ReadPrincipal(path, index++, entry));
                        break;
                    default:
                        throw new FlightConfigurationException($"access file {path}: unknown key '{property.Name}' (expected session_hours, principals)");
                }
            }
            if (entries.Count == 0) throw new FlightConfigurationException($"access file {path} names no principal; nobody could call the service");
            var duplicate = entries.GroupBy(e => Convert.ToHexString(e.Item1)).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new FlightConfigurationException($"access file {path}: principals {string.Join(" and ", duplicate.Select(d => d.Item2.Name))} share a token");
            return new FlightAccessList(entries, lifetime, TimeProvider.System);
        }
    }

    private static (byte[], FlightPrincipal) ReadPrincipal(string path, int index, JsonElement entry)
    {
        var where = $"access file {path}: principals[{index}]";
        if (entry.ValueKind != JsonValueKind.Object) throw new FlightConfigurationException($"{where} must be an object");
        string? name = null, role = null, token = null, digest = null;
        foreach (var property in entry.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) throw new FlightConfigurationException($"{where}.{property.Name} must be a string");
            var value = property.Value.GetString()!;
            switch (property.Name)
            {
                case "name": name = value; break;
                case "role": role = value; break;
                case "token": token = value; break;
                case "token_sha256": digest = value; break;
                default: throw new FlightConfigurationException($"{where}: unknown key '{property.Name}' (expected name, role, token, token_sha256)");
            }
        }
        if (string.IsNullOrWhiteSpace(name)) throw new FlightConfigurationException($"{where}: name is required");
        var parsedRole = role switch
        {
            "read" => FlightRole.Read,
            "read_write" => FlightRole.ReadWrite,
            null => throw new FlightConfigurationException($"{where} ({name}): role is required (read or read_write)"),
            _ => throw new FlightConfigurationException($"{where} ({name}): role '{role}' is not read or read_write"),
        };
        if ((token is null) == (digest is null)) throw new FlightConfigurationException($"{where} ({name}): give exactly one of token, token_sha256");
        if (token is not null && token.Length < 16) throw new FlightConfigurationException($"{where} ({name}): token must have at least 16 characters");
        byte[] bytes;
        if (token is not null) bytes = Digest(token);
        else
        {
            try
            {
                bytes = Convert.FromHexString(digest!);
            }
            catch (FormatException)
            {
                throw new FlightConfigurationException($"{where} ({name}): token_sha256 is not hexadecimal");
            }
            if (bytes.Length != 32) throw new FlightConfigurationException($"{where} ({name}): token_sha256 must be 64 hex digits");
        }
        return (bytes, new FlightPrincipal(name, parsedRole));
    }

    /// <summary>The principal a configured or session token belongs to, or null.</summary>
    public FlightPrincipal? Authenticate(string token)
    {
        var digest = Digest(token);
        FlightPrincipal? found = null;
        // Compare against every entry so timing does not reveal which one matched.
        foreach (var (candidate, principal) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, digest)) found = principal;
        }
        if (found is not null) return found;
        var key = Convert.ToHexString(digest);
        if (_sessions.TryGetValue(key, out var session))
        {
            if (session.Expires > _time.GetUtcNow()) return session.Principal;
            _sessions.TryRemove(key, out _);
        }
        return null;
    }

    /// <summary>The principal whose name and configured token these are (HTTP Basic in Handshake), or null.</summary>
    public FlightPrincipal? Authenticate(string name, string token) =>
        Authenticate(token) is { } principal && principal.Name == name ? principal : null;

    /// <summary>Issues a session token for <paramref name="principal"/>, valid for <see cref="SessionLifetime"/>.</summary>
    public string IssueSession(FlightPrincipal principal)
    {
        var now = _time.GetUtcNow();
        foreach (var stale in _sessions.Where(s => s.Value.Expires <= now).Select(s => s.Key).ToList()) _sessions.TryRemove(stale, out _);
        var token = NewToken();
        _sessions[Convert.ToHexString(Digest(token))] = (principal, now + SessionLifetime);
        return token;
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
