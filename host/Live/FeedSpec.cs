using System.Globalization;

namespace CroweLogic.Flow.Host.Live;

/// <summary>What kind of feed a live session reads.</summary>
public enum FeedKind
{
    /// <summary>The simulated exchange in this process, over FIX on loopback.</summary>
    Simulated,

    /// <summary>A FIX venue's market data.</summary>
    Fix,

    /// <summary>Binance spot (production).</summary>
    Binance,

    /// <summary>Binance spot testnet.</summary>
    BinanceTestnet,
}

/// <summary>The feed named by <c>flow live --feed</c>.</summary>
/// <param name="Kind">Which kind.</param>
/// <param name="Host">FIX host.</param>
/// <param name="Port">FIX port.</param>
/// <param name="SenderCompId">Our market-data CompID.</param>
/// <param name="TargetCompId">The venue's CompID.</param>
public sealed record FeedSpec(FeedKind Kind, string Host = "", int Port = 0, string SenderCompId = "FLOW-MD", string TargetCompId = "SIM")
{
    /// <summary>The accepted forms.</summary>
    public const string Forms = "sim, fix://host:port[?sender=FLOW-MD&target=SIM], binance or binance-testnet[?rest=URL&stream=URL]";

    /// <summary>Binance: the REST base in place of the kind's (a local stand-in, a proxy).</summary>
    public Uri? Rest { get; init; }

    /// <summary>Binance: the WebSocket market-streams base in place of the kind's.</summary>
    public Uri? Stream { get; init; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not one of <see cref="Forms"/>; the message says what is wrong.</exception>
    public static FeedSpec Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed == "sim") return new FeedSpec(FeedKind.Simulated);
        var name = trimmed.Split('?')[0];
        if (name is "binance" or "binance-testnet")
        {
            var binance = new FeedSpec(name == "binance" ? FeedKind.Binance : FeedKind.BinanceTestnet);
            foreach (var pair in trimmed[name.Length..].TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.IndexOf('=') is var e and > 0 ? (pair[..e], pair[(e + 1)..]) : (pair, "");
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) throw new FormatException($"feed '{text}': {key}= needs an absolute URL, got '{value}'");
                binance = key switch
                {
                    "rest" when uri.Scheme is "http" or "https" => binance with { Rest = uri },
                    "stream" when uri.Scheme is "ws" or "wss" => binance with { Stream = uri },
                    _ => throw new FormatException($"feed '{text}': unknown option '{pair}' (rest=http(s)://…, stream=ws(s)://…)"),
                };
            }
            return binance;
        }
        if (!text.StartsWith("fix://", StringComparison.Ordinal)) throw new FormatException($"feed '{text}' is not one of {Forms}");
        var rest = text["fix://".Length..];
        var query = "";
        if (rest.IndexOf('?') is var q and >= 0) (rest, query) = (rest[..q], rest[(q + 1)..]);
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"feed '{text}': a FIX feed is fix://host:port (port 1-65535)");
        var spec = new FeedSpec(FeedKind.Fix, rest[..colon], port);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=') is var e and > 0 ? (pair[..e], pair[(e + 1)..]) : (pair, "");
            spec = key switch
            {
                "sender" when value.Length > 0 => spec with { SenderCompId = value },
                "target" when value.Length > 0 => spec with { TargetCompId = value },
                _ => throw new FormatException($"feed '{text}': unknown or empty option '{pair}' (sender=, target=)"),
            };
        }
        return spec;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FeedKind.Simulated => "sim",
        FeedKind.Fix => $"fix://{Host}:{Port}",
        FeedKind.Binance => "binance",
        _ => "binance-testnet",
    };
}
