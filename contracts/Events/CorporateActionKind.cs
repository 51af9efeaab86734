namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Kind of corporate action.</summary>
public enum CorporateActionKind
{
    /// <summary>Cash dividend per share.</summary>
    CashDividend,
    /// <summary>Share split (value = new shares per old share).</summary>
    Split,
    /// <summary>Ticker change.</summary>
    SymbolChange,
    /// <summary>Delisted.</summary>
    Delisting,
}
