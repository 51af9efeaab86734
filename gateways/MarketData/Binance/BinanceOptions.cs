namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>Where the Binance spot feed connects: production and testnet are configuration, tests point both at 127.0.0.1.</summary>
/// <param name="RestBase">REST API base (depth snapshots).</param>
/// <param name="StreamBase">WebSocket market-streams base (the client opens <c>/stream</c> and subscribes).</param>
public sealed record BinanceOptions(Uri RestBase, Uri StreamBase)
{
    /// <summary>Binance spot production.</summary>
    public static BinanceOptions Production { get; } = new(new Uri("https://api.binance.com"), new Uri("wss://stream.binance.com:9443"));

    /// <summary>Binance spot testnet.</summary>
    public static BinanceOptions Testnet { get; } = new(new Uri("https://testnet.binance.vision"), new Uri("wss://stream.testnet.binance.vision"));

    /// <summary>Feed name on gaps and statuses.</summary>
    public string Source { get; init; } = "binance";

    /// <summary>Levels per side of a depth snapshot (1000 weighs 10 of the 6000 a minute an IP may use).</summary>
    public int DepthLimit { get; init; } = 1000;

    /// <summary>The request weight an IP may use per minute (X-MBX-USED-WEIGHT-1M is kept below 90 % of it).</summary>
    public int WeightPerMinute { get; init; } = 6000;

    /// <summary>Pause before reconnecting a dropped stream.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before fetching another snapshot when one was older than the buffered stream.</summary>
    public TimeSpan SnapshotRetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);
}
