using System.Security.Cryptography;
using System.Text;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>
/// A Binance API key and its HMAC secret. They come from the environment (BINANCE_API_KEY, BINANCE_API_SECRET) or from
/// a key file only its owner can read (mode 600) holding the same two names as KEY=VALUE lines; neither is ever printed
/// — <see cref="ToString"/> shows the key's last four characters and nothing of the secret.
/// </summary>
public sealed class BinanceCredentials
{
    /// <summary>The environment variable holding the API key.</summary>
    public const string KeyVariable = "BINANCE_API_KEY";

    /// <summary>The environment variable holding the API secret.</summary>
    public const string SecretVariable = "BINANCE_API_SECRET";

    private readonly byte[] _secret;

    /// <summary>Credentials from their parts.</summary>
    /// <exception cref="ArgumentException">Either part is empty.</exception>
    public BinanceCredentials(string apiKey, string secret)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || string.IsNullOrWhiteSpace(secret)) throw new ArgumentException("a Binance API key and secret must both be non-empty");
        ApiKey = apiKey.Trim();
        _secret = Encoding.UTF8.GetBytes(secret.Trim());
    }

    /// <summary>The API key (sent as X-MBX-APIKEY; not a secret on its own, but still never logged in full).</summary>
    public string ApiKey { get; }

    /// <summary>The HMAC-SHA256 signature of <paramref name="payload"/>, lowercase hex, as Binance's SIGNED endpoints expect.</summary>
    public string Sign(string payload) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(payload)));

    /// <summary>Loads the credentials from <paramref name="keyFile"/>, or from the environment when it is null.</summary>
    /// <exception cref="ArgumentException">The variables are unset, or the file is missing, readable by others, or lacks a name; the message says which.</exception>
    public static BinanceCredentials Load(string? keyFile, Func<string, string?>? environment = null)
    {
        if (keyFile is null)
        {
            environment ??= Environment.GetEnvironmentVariable;
            var key = environment(KeyVariable);
            var secret = environment(SecretVariable);
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(secret))
                throw new ArgumentException($"Binance order entry needs credentials: set {KeyVariable} and {SecretVariable}, or name a mode-600 key file with ?key_file=PATH");
            return new BinanceCredentials(key, secret);
        }
        if (!File.Exists(keyFile)) throw new ArgumentException($"Binance key file {keyFile} does not exist");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(keyFile);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
                throw new ArgumentException($"Binance key file {keyFile} is open to its group or others (mode {Convert.ToString((int)mode, 8)}): chmod 600 it");
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(keyFile))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            // The line's text is never echoed: it may be the secret itself.
            if (eq <= 0) throw new ArgumentException($"Binance key file {keyFile}: every line is NAME=VALUE ({KeyVariable}=…, {SecretVariable}=…)");
            values[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        return values.TryGetValue(KeyVariable, out var k) && values.TryGetValue(SecretVariable, out var s) && k.Length > 0 && s.Length > 0
            ? new BinanceCredentials(k, s)
            : throw new ArgumentException($"Binance key file {keyFile} needs both {KeyVariable}= and {SecretVariable}= lines");
    }

    /// <inheritdoc />
    public override string ToString() => $"Binance key …{(ApiKey.Length > 4 ? ApiKey[^4..] : "")}";
}
