namespace CroweLogic.Flow.Gateways.MarketData;

/// <summary>Where and how the FIX market-data client connects.</summary>
/// <param name="Host">Acceptor host.</param>
/// <param name="Port">Acceptor port.</param>
public sealed record FixFeedOptions(string Host, int Port)
{
    /// <summary>Our SenderCompID (49): a session of its own beside the order session, so market data never queues behind orders.</summary>
    public string SenderCompId { get; init; } = "FLOW-MD";

    /// <summary>The venue's CompID (56).</summary>
    public string TargetCompId { get; init; } = "SIM";

    /// <summary>Feed name on gaps and statuses.</summary>
    public string Source { get; init; } = "fix";

    /// <summary>Heartbeat interval.</summary>
    public int HeartBtIntSeconds { get; init; } = 30;

    /// <summary>Fraction digits of the timestamps we send.</summary>
    public int TimestampPrecision { get; init; } = 9;

    /// <summary>Pause between reconnect attempts.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the first connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
