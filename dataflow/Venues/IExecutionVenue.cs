using CroweLogic.Flow.Dataflow.Lane;

namespace CroweLogic.Flow.Dataflow.Venues;

/// <summary>
/// Where the lane's orders go. The venue agent feeds it the market rows and the orders interleaved in event time (an
/// order reaches the venue after every row up to its time); reports and fill costs go onto the message being processed.
/// </summary>
public interface IExecutionVenue
{
    /// <summary>Venue name on orders and reports.</summary>
    string Name { get; }

    /// <summary>One accepted market row.</summary>
    void OnMarket(MarketBatch market, int row, int id, long ts, LaneMessage output);

    /// <summary>An order arriving at its time.</summary>
    void Submit(OrderIntent intent, LaneMessage output);

    /// <summary>The feed ended: orders still open are cancelled with a reason.</summary>
    void Close(long ts, LaneMessage output);
}
