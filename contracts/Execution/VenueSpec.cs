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
}

/// <summary>
/// A venue named on the command line (<c>--venue</c>) or in the policy (<c>execution.venue</c>): <c>replay</c>,
/// <c>sim</c>, <c>sim+fix</c>, or <c>fix://host:port</c> with optional <c>?sender=FLOW&amp;target=SIM&amp;store=dir&amp;heartbeat=30</c>.
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
    public const string Forms = "replay, sim, sim+fix or fix://host:port[?sender=..&target=..&store=..&heartbeat=..]";

    /// <summary>Parses a venue name.</summary>
    /// <exception cref="FormatException">The text is not one of <see cref="Forms"/>; the message says what is wrong.</exception>
    public static VenueSpec Parse(string text)
    {
        switch (text)
        {
            case "replay": return Replay;
            case "sim": return new(VenueKind.Simulated);
            case "sim+fix": return new(VenueKind.SimulatedOverFix);
        }
        if (!text.StartsWith("fix://", StringComparison.Ordinal)) throw new FormatException($"venue '{text}' is not one of {Forms}");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Port is <= 0 or > 65535 || uri.AbsolutePath is not ("" or "/"))
            throw new FormatException($"venue '{text}': a FIX venue is fix://host:port (port 1-65535)");
        var spec = new VenueSpec(VenueKind.Fix, uri.Host, uri.Port);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.IndexOf('=') is var i and > 0 ? (pair[..i], Uri.UnescapeDataString(pair[(i + 1)..])) : (pair, "");
            if (value.Length == 0) throw new FormatException($"venue '{text}': option '{key}' needs a value");
            spec = key switch
            {
                "sender" => spec with { SenderCompId = value },
                "target" => spec with { TargetCompId = value },
                "store" => spec with { StoreDirectory = value },
                "heartbeat" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var h) && h > 0 => spec with { HeartBtIntSeconds = h },
                "heartbeat" => throw new FormatException($"venue '{text}': heartbeat must be a positive number of seconds, got '{value}'"),
                _ => throw new FormatException($"venue '{text}': unknown option '{key}' (sender, target, store, heartbeat)"),
            };
        }
        return spec;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        VenueKind.Replay => "replay",
        VenueKind.Simulated => "sim",
        VenueKind.SimulatedOverFix => "sim+fix",
        _ => $"fix://{Host}:{Port}",
    };
}
