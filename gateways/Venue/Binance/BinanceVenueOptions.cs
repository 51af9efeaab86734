namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>Where and how the Binance spot order client connects: production and testnet are configuration; tests point both bases at 127.0.0.1.</summary>
/// <param name="RestBase">REST API base (order entry, order queries, exchange rules, server time).</param>
/// <param name="WsApiBase">WebSocket API endpoint (the user-data stream subscription, <c>/ws-api/v3</c>).</param>
/// <param name="Credentials">API key and secret.</param>
public sealed record BinanceVenueOptions(Uri RestBase, Uri WsApiBase, BinanceCredentials Credentials)
{
    /// <summary>Binance spot production's REST base.</summary>
    public static Uri ProductionRest { get; } = new("https://api.binance.com");

    /// <summary>Binance spot production's WebSocket API.</summary>
    public static Uri ProductionWsApi { get; } = new("wss://ws-api.binance.com:443/ws-api/v3");

    /// <summary>Binance spot testnet's REST base.</summary>
    public static Uri TestnetRest { get; } = new("https://testnet.binance.vision");

    /// <summary>Binance spot testnet's WebSocket API.</summary>
    public static Uri TestnetWsApi { get; } = new("wss://ws-api.testnet.binance.vision/ws-api/v3");

    /// <summary>Venue name on the lane's reports.</summary>
    public string Venue { get; init; } = "BINANCE";

    /// <summary>How long a signed request stays valid after its timestamp (Binance's recvWindow, ms).</summary>
    public int RecvWindowMs { get; init; } = 5000;

    /// <summary>How long connecting and subscribing may take before the lane refuses to start.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause before reconnecting a dropped user-data stream.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long closing waits for working orders to be cancelled.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one REST request may take before its outcome counts as unknown (and is then queried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
