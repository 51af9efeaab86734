using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Dataflow.Arrow;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Host.Live;

/// <summary>
/// Feeds a <see cref="SimulatedFixVenue"/> the market it stands for: tick batches (a replay of the store, or a synthetic
/// flow) released on a replay clock at <c>speed</c> × real time, each quote and trade taken by the venue at the wall
/// time it is released — so its subscribers see the recorded market happen now.
/// </summary>
public static class VenueFeeder
{
    /// <summary>Feeds until the source ends or <paramref name="cancellationToken"/> stops it; returns the events fed.</summary>
    public static async Task<long> RunAsync(SimulatedFixVenue venue, IAsyncEnumerable<LaneMessage> source, double speed, CancellationToken cancellationToken)
    {
        var clock = new ReplayClock(speed);
        long events = 0;
        try
        {
            await foreach (var message in PacedFeed.Pace(source, clock, cancellationToken).ConfigureAwait(false))
            {
                if (message.Market is not { } market) continue;
                var batch = market.Batch;
                var symbols = BatchColumns.Require(batch, "symbol", "the venue feeder");
                var kinds = LaneColumns.Column(batch, "kind", "the venue feeder");
                var price = LaneColumns.Doubles(batch, "price", "the venue feeder");
                var size = LaneColumns.Doubles(batch, "size", "the venue feeder");
                var bid = LaneColumns.Doubles(batch, "bid", "the venue feeder");
                var bidSize = LaneColumns.Doubles(batch, "bid_size", "the venue feeder");
                var ask = LaneColumns.Doubles(batch, "ask", "the venue feeder");
                var askSize = LaneColumns.Doubles(batch, "ask_size", "the venue feeder");
                var step = new MarketEvent[batch.Length];
                for (var row = 0; row < batch.Length; row++)
                {
                    var symbol = symbols.GetString(row);
                    step[row] = LaneColumns.IntAt(kinds, row) == TickKind.Trade
                        ? MarketEvent.Trade(symbol, LaneColumns.DoubleAt(price, row), LaneColumns.DoubleAt(size, row))
                        : MarketEvent.Quote(symbol, Positive(bid, row), Positive(bidSize, row), Positive(ask, row), Positive(askSize, row));
                }
                // One step of the exchange per released window: its subscribers get one refresh for it.
                venue.Feed(step);
                events += batch.Length;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return events;
    }

    // A missing side reaches the venue as 0: "leave that side as it was".
    private static double Positive(Apache.Arrow.DoubleArray array, int row) => LaneColumns.DoubleAt(array, row) is var v && v > 0 ? v : 0;
}
