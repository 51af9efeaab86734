using System.Globalization;

namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>What kind of venue stands behind the execution port.</summary>
public enum VenueKind
{
    /// <summary>The replay venues: ticks fill against recorded quotes and trades with queue position, bars at the next open.</summary>
    Replay,

    /// <summary>The simulated exchange in process, fed the recorded market.</summary>
    Simulated,

    /// <summary>The simulated exchange as a FIX acceptor on loopback, traded through the FIX client in lockstep.</summary>
    SimulatedOverFix,

    /// <summary>A FIX 4.4 venue at host:port.</summary>
    Fix,

    /// <summary>Binance spot (or its testnet, <see cref="VenueSpec.Testnet"/>): REST order entry signed with HMAC-SHA256, execution reports from the user-data stream.</summary>
    Binance,

    /// <summary>Several venues, with the smart order router splitting each order across them (<see cref="VenueSpec.Members"/>).</summary>
    Routed,
}

/// <summary>
/// A venue named on the command line (<c>--venue</c>) or in the policy (<c>execution.venue</c>): <c>replay</c>,
/// <c>sim</c>, <c>sim+fix</c>, <c>fix://host:port</c> with optional <c>?sender=FLOW&amp;target=SIM&amp;store=dir&amp;heartbeat=30</c>, or
/// <c>binance</c> / <c>binance-testnet</c> with optional <c>?rest=URL&amp;ws_api=URL&amp;key_file=PATH</c> (credentials from
/// BINANCE_API_KEY and BINANCE_API_SECRET, or from a mode-600 key file).
/// Any venue may take <c>name=</c> (its name on orders and reports) and <c>fee_bps=</c> (its taker fee: what a simulated
/// venue charges, and what the router weighs for any venue); the in-process simulated exchange also takes
/// <c>latency_ms=</c> (its order-entry latency). Several venues separated by commas are routed: the smart order router
/// splits every order across them by their scorecards.
/// </summary>
/// <param name="Kind">What kind of venue.</param>
/// <param name="Host">FIX host.</param>
/// <param name="Port">FIX port.</param>
/// <param name="SenderCompId">Our CompID.</param>
/// <param name="TargetCompId">The venue's CompID.</param>
/// <param name="StoreDirectory">Durable FIX message store (null: in memory).</param>
/// <param name="HeartBtIntSeconds">Heartbeat interval.</param>
public sealed record VenueSpec(VenueKind Kind, string Host = "", int Port = 0, string SenderCompId = "FLOW", string TargetCompId = "SIM", string? StoreDirectory = null, int HeartBtIntSeconds = 30)
{
    /// <summary>The replay venue (the default).</summary>
    public static VenueSpec Replay { get; } = new(VenueKind.Replay);

    /// <summary>The accepted forms, for messages.</summary>
    public const string Forms = "replay, sim, sim+fix, fix://host:port[?sender=..&target=..&store=..&heartbeat=..] or binance|binance-testnet[?rest=URL&ws_api=URL&key_file=PATH], each with optional ?name=..&fee_bps=.. (sim also latency_ms=..), several separated by commas to route across them";

    /// <summary>The venue's name on orders and reports (null: its kind's default — the FIX target CompID, SIM, SIM-TICKS).</summary>
    public string? Name { get; init; }

    /// <summary>The venue's taker fee in bps (null: the policy's costs.commission_bps).</summary>
    public double? FeeBps { get; init; }

    /// <summary>The in-process simulated exchange's order-entry latency in ms (null: none).</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Binance: the testnet rather than production.</summary>
    public bool Testnet { get; init; }

    /// <summary>Binance: the REST base in place of the kind's (a local stand-in, a proxy).</summary>
    public Uri? Rest { get; init; }

    /// <summary>Binance: the WebSocket API base (user-data stream) in place of the kind's.</summary>
    public Uri? WsApi { get; init; }

    /// <summary>Binance: a mode-600 file holding BINANCE_API_KEY= and BINANCE_API_SECRET= lines (null: the environment).</summary>
    public string? KeyFile { get; init; }

    /// <summary>The routed venues (only for <see cref="VenueKind.Routed"/>).</summary>
    public IReadOnlyList<VenueSpec> Members { get; init; } = [];

    /// <summary>Parses a venue name.</summary>
    /// <exception cref="FormatException">The text is not one of <see cref="Forms"/>; the message says what is wrong.</exception>
    public static VenueSpec Parse(string text)
    {
        if (!text.Contains(',', StringComparison.Ordinal)) return ParseOne(text);
        var members = text.Split(',', StringSplitOptions.TrimEntries).Select(part =>
            part.Length == 0 ? throw new FormatException($"venue '{text}': an empty venue between commas") : ParseOne(part)).ToList();
        var names = members.Select(m => m.DisplayName).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new FormatException($"venue '{text}': two venues are named {names.GroupBy(n => n, StringComparer.Ordinal).First(g => g.Count() > 1).Key}; give each its own with ?name=");
        return new VenueSpec(VenueKind.Routed) { Members = members };
    }

    /// <summary>The name on orders and reports: <see cref="Name"/>, else the kind's default.</summary>
    public string DisplayName => Name ?? Kind switch
    {
        VenueKind.Replay => "SIM-TICKS",
        VenueKind.Simulated or VenueKind.SimulatedOverFix => "SIM",
        VenueKind.Fix => TargetCompId,
        VenueKind.Binance => Testnet ? "BINANCE-TESTNET" : "BINANCE",
        _ => string.Join("+", Members.Select(m => m.DisplayName)),
    };

    private static VenueSpec ParseOne(string text)
    {
        var q = text.IndexOf('?', StringComparison.Ordinal);
        var (head, query) = q < 0 ? (text, "") : (text[..q], text[(q + 1)..]);
        VenueSpec spec;
        switch (head)
        {
            case "replay": spec = Replay; break;
            case "sim": spec = new(VenueKind.Simulated); break;
            case "sim+fix": spec = new(VenueKind.SimulatedOverFix); break;
            case "binance" or "binance-testnet": spec = new(VenueKind.Binance) { Testnet = head == "binance-testnet" }; break;
            default:
                if (!head.StartsWith("fix://", StringComparison.Ordinal)) throw new FormatException($"venue '{text}' is not one of {Forms}");
                if (!Uri.TryCreate(head, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Port is <= 0 or > 65535 || uri.AbsolutePath is not ("" or "/"))
                    throw new FormatException($"venue '{text}': a FIX venue is fix://host:port (port 1-65535)");
                spec = new VenueSpec(VenueKind.Fix, uri.Host, uri.Port);
                break;
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=') is var i and > 0 ? (pair[..i], Uri.UnescapeDataString(pair[(i + 1)..])) : (pair, "");
            if (value.Length == 0) throw new FormatException($"venue '{text}': option '{key}' needs a value");
            var fix = spec.Kind == VenueKind.Fix;
            var binance = spec.Kind == VenueKind.Binance;
            spec = key switch
            {
                "rest" when binance => spec with { Rest = Url(text, key, value, "http", "https") },
                "ws_api" when binance => spec with { WsApi = Url(text, key, value, "ws", "wss") },
                "key_file" when binance => spec with { KeyFile = value },
                "name" => spec with { Name = value },
                "fee_bps" => spec with { FeeBps = Number(text, key, value, -100, 1000) },
                "latency_ms" when spec.Kind == VenueKind.Simulated => spec with { LatencyMs = Number(text, key, value, 0, 60_000) },
                "latency_ms" => throw new FormatException($"venue '{text}': latency_ms models the in-process simulated exchange (sim); a replay venue delays orders by the policy's costs.latency_ms and a FIX venue's latency is measured"),
                "sender" when fix => spec with { SenderCompId = value },
                "target" when fix => spec with { TargetCompId = value },
                "store" when fix => spec with { StoreDirectory = value },
                "heartbeat" when fix && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h > 0 => spec with { HeartBtIntSeconds = h },
                "heartbeat" when fix => throw new FormatException($"venue '{text}': heartbeat must be a positive number of seconds, got '{value}'"),
                _ => throw new FormatException($"venue '{text}': unknown option '{key}' ({(fix ? "sender, target, store, heartbeat, " : binance ? "rest, ws_api, key_file, " : "")}name, fee_bps{(spec.Kind == VenueKind.Simulated ? ", latency_ms" : "")})"),
            };
        }
        return spec;
    }

    private static Uri Url(string text, string key, string value, params string[] schemes) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme)
            ? uri
            : throw new FormatException($"venue '{text}': {key} needs an absolute {string.Join(" or ", schemes)} URL, got '{value}'");

    private static double Number(string text, string key, string value, double min, double max) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x >= min && x <= max
            ? x
            : throw new FormatException($"venue '{text}': {key} must be a number in [{min}, {max}], got '{value}'");

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        VenueKind.Replay => "replay",
        VenueKind.Simulated => "sim",
        VenueKind.SimulatedOverFix => "sim+fix",
        VenueKind.Fix => $"fix://{Host}:{Port}",
        VenueKind.Binance => Testnet ? "binance-testnet" : "binance",
        _ => string.Join(",", Members.Select(m => m.Name is null ? m.ToString() : $"{m}?name={m.Name}")),
    };
}
