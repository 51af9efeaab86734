using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>An order sent to the matching engine; prices in integer ticks and quantities in integer units, so matching is exact.</summary>
/// <param name="OrderId">Unique id (the engine refuses duplicates while the order lives).</param>
/// <param name="Owner">Trading account, for self-trade prevention.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Market or Limit (stop orders are triggered outside the book).</param>
/// <param name="TimeInForce">Day/GTC rest; IOC and market remainders are cancelled; FOK fills completely or not at all; post-only never takes.</param>
/// <param name="PriceTicks">Limit price in ticks (ignored for market orders).</param>
/// <param name="Quantity">Quantity in units (positive).</param>
public readonly record struct OrderRequest(long OrderId, long Owner, Side Side, OrderType Type, TimeInForce TimeInForce, long PriceTicks, long Quantity);

/// <summary>What happens when an incoming order would trade with a resting order of the same owner.</summary>
public enum SelfTradePrevention
{
    /// <summary>Cancel the resting order and keep matching (the common venue default).</summary>
    CancelResting,
    /// <summary>Cancel the incoming order's remainder.</summary>
    CancelIncoming,
    /// <summary>Cancel both.</summary>
    CancelBoth,
}

/// <summary>Why an order was refused on entry.</summary>
public enum RejectReason
{
    /// <summary>Quantity not positive.</summary>
    InvalidQuantity,
    /// <summary>Limit price not positive.</summary>
    InvalidPrice,
    /// <summary>Order id already live.</summary>
    DuplicateOrderId,
    /// <summary>Trading is halted or the session is closed.</summary>
    NotTrading,
    /// <summary>A post-only order would have taken liquidity.</summary>
    PostOnlyWouldTake,
    /// <summary>Limit price outside the limit-up/limit-down band.</summary>
    OutsidePriceBand,
    /// <summary>Cancel or replace of an order that is not live.</summary>
    UnknownOrder,
    /// <summary>Stop orders must be triggered before they reach the book.</summary>
    UnsupportedOrderType,
}

/// <summary>Why a live order (or its remainder) was cancelled.</summary>
public enum CancelReason
{
    /// <summary>The owner asked.</summary>
    Requested,
    /// <summary>Immediate-or-cancel (or market) remainder.</summary>
    ImmediateOrCancel,
    /// <summary>Fill-or-kill could not fill completely.</summary>
    FillOrKill,
    /// <summary>Self-trade prevention.</summary>
    SelfTrade,
    /// <summary>The remainder would have traded outside the limit-up/limit-down band.</summary>
    PriceBand,
    /// <summary>End of the trading session (day orders).</summary>
    SessionEnd,
    /// <summary>Replaced by a new version (price change or size increase loses priority).</summary>
    Replaced,
}

/// <summary>Trading phase of an instrument.</summary>
public enum TradingState
{
    /// <summary>Continuous trading.</summary>
    Open,
    /// <summary>Halted (e.g. a limit-up/limit-down pause): no new orders, no matching; cancels allowed.</summary>
    Halted,
    /// <summary>Closed: day orders expired.</summary>
    Closed,
}

/// <summary>One execution between a resting (maker) and an incoming (taker) order.</summary>
/// <param name="MakerOrderId">Resting order.</param>
/// <param name="TakerOrderId">Incoming order.</param>
/// <param name="TakerSide">Aggressor side.</param>
/// <param name="PriceTicks">Execution price (the resting order's).</param>
/// <param name="Quantity">Units traded.</param>
/// <param name="MakerLeaves">Maker's remaining quantity.</param>
/// <param name="TakerLeaves">Taker's remaining quantity after this fill.</param>
public readonly record struct Fill(long MakerOrderId, long TakerOrderId, Side TakerSide, long PriceTicks, long Quantity, long MakerLeaves, long TakerLeaves);

/// <summary>Receives the matching engine's events synchronously, in order (the engine allocates nothing per event).</summary>
public interface IMatchingListener
{
    /// <summary>An order was accepted (it may trade or rest next).</summary>
    void OnAccepted(in OrderRequest order);

    /// <summary>An order or request was refused.</summary>
    void OnRejected(long orderId, RejectReason reason);

    /// <summary>A trade.</summary>
    void OnFill(in Fill fill);

    /// <summary>A live order (or its remainder) left the book without trading.</summary>
    void OnCanceled(long orderId, long canceledQuantity, CancelReason reason);

    /// <summary>A resting order changed size in place (priority kept).</summary>
    void OnReduced(long orderId, long newQuantity);

    /// <summary>The aggregate quantity at a price level changed (L2 publication); 0 means the level is gone.</summary>
    void OnLevel(Side side, long priceTicks, long quantity, int orders);
}
