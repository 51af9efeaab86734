namespace CroweLogic.Flow.Contracts.MarketData;

/// <summary>A feed cannot start or was refused; the message says what to fix.</summary>
public sealed class MarketDataException(string message, Exception? inner = null) : Exception(message, inner);
