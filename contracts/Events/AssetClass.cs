namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Asset class of an instrument; selects default session rules.</summary>
public enum AssetClass
{
    /// <summary>Common stock.</summary>
    Equity,
    /// <summary>Exchange-traded fund.</summary>
    Etf,
    /// <summary>Futures contract.</summary>
    Future,
    /// <summary>Currency pair.</summary>
    Forex,
    /// <summary>Crypto asset pair.</summary>
    Crypto,
    /// <summary>Option contract.</summary>
    Option,
    /// <summary>Non-tradable index.</summary>
    Index,
}
