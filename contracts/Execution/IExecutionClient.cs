using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>
/// The execution port: the one interface every venue stands behind — the bar and tick replay venues, the simulated
/// exchange in-process or over FIX, any FIX venue, crypto venues — and in front of them the execution algorithms and
/// the smart order router (NautilusTrader's ExecutionClient shape). Commands go out through <see cref="Send"/>; events
/// come back through the <see cref="IExecutionEvents"/> given to <see cref="Start"/>. Backtest and live differ only in
/// what stands behind it and which clock drives <see cref="AdvanceTo"/>: a replay venue produces its events while the
/// lane steps it, in event time; a live venue produces them from its own thread, in arrival order.
/// </summary>
public interface IExecutionClient
{
    /// <summary>Venue name on orders and reports.</summary>
    string Venue { get; }

    /// <summary>Whether events arrive from another thread (a live venue) rather than while the lane steps the client (a replay).</summary>
    bool IsLive { get; }

    /// <summary>Connects (a live venue logs on) and starts delivering events.</summary>
    void Start(IExecutionEvents events);

    /// <summary>Sends a command.</summary>
    void Send(ExecutionCommand command);

    /// <summary>The lane's clock reached <paramref name="ts"/>: a replay venue delivers what happens up to then; algorithms decide.</summary>
    void AdvanceTo(long ts);

    /// <summary>The feed ended at <paramref name="ts"/>: a replay venue cancels what is still open; a live venue stays connected.</summary>
    void Close(long ts);
}

/// <summary>Where an execution client delivers its events (the lane's order manager).</summary>
public interface IExecutionEvents
{
    /// <summary>An order was accepted, rejected, filled (partly or wholly), cancelled, replaced or expired.</summary>
    void OnReport(ExecutionReport report);

    /// <summary>A cancel or replace was refused.</summary>
    void OnCancelRejected(OrderCancelRejected reject);

    /// <summary>A simulated fill's modelled costs (spread and impact), for attribution.</summary>
    void OnFillCost(FillCost cost);

    /// <summary>An algorithm sent a child of one of the lane's parent orders (ParentOrderId names the parent).</summary>
    void OnChildOrder(Order child);

    /// <summary>The venue connection came up or went down (a live venue; replay venues never call it).</summary>
    void OnConnection(bool connected, string reason);

    /// <summary>
    /// Runs <paramref name="work"/> on the lane's thread, in order with the events delivered so far: how what stands
    /// between the lane and a live venue (an algorithm, the router) handles the venue's events without racing the lane's
    /// own calls. A replay delivers on the lane's thread already, so by default the work runs at once.
    /// </summary>
    void Post(Action work) => work();
}

/// <summary>
/// Market rows for what behind the port needs to see the market: replay venues fill against it, algorithms schedule by
/// it (volume, touch). The lane hands every accepted row over in event time, before the orders decided after it.
/// </summary>
public interface IMarketObserver
{
    /// <summary>A tick row: <paramref name="kind"/> is <see cref="TickKind.Trade"/> (price, size) or <see cref="TickKind.Quote"/> (bid, ask and sizes; NaN for a missing side).</summary>
    void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize);

    /// <summary>A daily or minute bar (prices as traded; <paramref name="adjustedClose"/> NaN when the source has none).</summary>
    void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume);
}

/// <summary>Names of the lane's instrument ids.</summary>
public interface IInstrumentNames
{
    /// <summary>The symbol of an id.</summary>
    string Name(int id);
}
