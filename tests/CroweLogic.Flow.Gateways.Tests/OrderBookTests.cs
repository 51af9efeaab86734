using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Venue;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The matching engine: rule by rule, then random order flow against a naive reference model and invariants.</summary>
public class OrderBookTests
{
    private static OrderRequest Limit(long id, Side side, long price, long qty, long owner = 1, TimeInForce tif = TimeInForce.Day) =>
        new(id, owner, side, OrderType.Limit, tif, price, qty);

    private static OrderRequest Market(long id, Side side, long qty, long owner = 9) => new(id, owner, side, OrderType.Market, TimeInForce.Ioc, 0, qty);

    [Fact]
    public void Price_then_time_priority_and_partial_fills()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 101, 5));
        book.Submit(Limit(2, Side.Sell, 100, 5));
        book.Submit(Limit(3, Side.Sell, 100, 5, owner: 2));
        book.Submit(Limit(4, Side.Buy, 101, 12, owner: 3));
        Assert.Equal([(2L, 100L, 5L), (3L, 100L, 5L), (1L, 101L, 2L)], events.Fills.Select(f => (f.MakerOrderId, f.PriceTicks, f.Quantity)));
        Assert.Equal((0L, 0L), (events.Fills[1].MakerLeaves, events.Fills[2].TakerLeaves));
        Assert.Equal([(101L, 3L, 1)], book.Depth(Side.Sell, 5));
        Assert.Null(book.BestBid);
    }

    [Fact]
    public void Market_and_ioc_remainders_are_cancelled_never_rested()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 100, 3));
        book.Submit(Market(2, Side.Buy, 5));
        book.Submit(Limit(3, Side.Buy, 99, 4, owner: 4, tif: TimeInForce.Ioc));
        Assert.Equal([(2L, 2L, CancelReason.ImmediateOrCancel), (3L, 4L, CancelReason.ImmediateOrCancel)], events.Canceled);
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void Fill_or_kill_fills_completely_or_not_at_all()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 100, 3));
        book.Submit(Limit(2, Side.Sell, 101, 3));
        book.Submit(Limit(3, Side.Buy, 101, 7, owner: 2, tif: TimeInForce.Fok));
        Assert.Empty(events.Fills);
        Assert.Equal((3L, 7L, CancelReason.FillOrKill), events.Canceled.Single());
        book.Submit(Limit(4, Side.Buy, 101, 6, owner: 2, tif: TimeInForce.Fok));
        Assert.Equal(6, events.Fills.Sum(f => f.Quantity));
        Assert.Equal(0, book.OrderCount);
    }

    [Fact]
    public void Post_only_orders_never_take_liquidity()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 100, 3));
        book.Submit(Limit(2, Side.Buy, 100, 3, owner: 2, tif: TimeInForce.PostOnly));
        book.Submit(Limit(3, Side.Buy, 99, 3, owner: 2, tif: TimeInForce.PostOnly));
        Assert.Equal((2L, RejectReason.PostOnlyWouldTake), events.Rejected.Single());
        Assert.Equal(99, book.BestBid);
        Assert.Empty(events.Fills);
    }

    [Theory]
    [InlineData(SelfTradePrevention.CancelResting, 1, 5)]
    [InlineData(SelfTradePrevention.CancelIncoming, 0, 0)]
    [InlineData(SelfTradePrevention.CancelBoth, 0, 0)]
    public void Self_trades_are_prevented(SelfTradePrevention mode, int makerFills, long filled)
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events, mode);
        book.Submit(Limit(1, Side.Sell, 100, 5, owner: 7));
        book.Submit(Limit(2, Side.Sell, 101, 5, owner: 8));
        book.Submit(Limit(3, Side.Buy, 101, 5, owner: 7));
        Assert.Equal(makerFills, events.Fills.Count);
        Assert.Equal(filled, events.Fills.Sum(f => f.Quantity));
        Assert.Contains(events.Canceled, c => c.Reason == CancelReason.SelfTrade);
        Assert.DoesNotContain(events.Fills, f => f.MakerOrderId == 1);
    }

    [Fact]
    public void A_size_reduction_keeps_priority_and_a_price_change_loses_it()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Buy, 100, 5));
        book.Submit(Limit(2, Side.Buy, 100, 5, owner: 2));
        book.Replace(1, 100, 3);
        Assert.Equal([1L, 2L], book.Orders(Side.Buy).Select(o => o.OrderId));
        Assert.Equal(0, book.QuantityAhead(1));
        Assert.Equal(3, book.QuantityAhead(2));
        book.Replace(1, 100, 8); // size increase: back of the queue
        Assert.Equal([2L, 1L], book.Orders(Side.Buy).Select(o => o.OrderId));
        book.Replace(2, 99, 5);
        Assert.Equal([1L, 2L], book.Orders(Side.Buy).Select(o => o.OrderId));
        book.Replace(42, 100, 1);
        Assert.Equal((42L, RejectReason.UnknownOrder), events.Rejected.Single());
    }

    [Fact]
    public void A_replace_that_crosses_trades()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 101, 5));
        book.Submit(Limit(2, Side.Buy, 100, 5, owner: 2));
        book.Replace(2, 101, 5);
        Assert.Equal((1L, 2L, 101L, 5L), (events.Fills.Single().MakerOrderId, events.Fills.Single().TakerOrderId, events.Fills.Single().PriceTicks, events.Fills.Single().Quantity));
    }

    [Fact]
    public void Price_bands_refuse_orders_beyond_them_and_stop_sweeps_at_the_band()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Sell, 100, 5));
        book.Submit(Limit(2, Side.Sell, 106, 5));
        book.SetPriceBand(95, 105);
        book.Submit(Limit(3, Side.Buy, 106, 1, owner: 2));
        Assert.Equal((3L, RejectReason.OutsidePriceBand), events.Rejected.Single());
        book.Submit(Market(4, Side.Buy, 8));
        Assert.Equal(5, events.Fills.Sum(f => f.Quantity));
        Assert.Equal((4L, 3L, CancelReason.PriceBand), events.Canceled.Last());
        Assert.Equal(106, book.BestAsk);
    }

    [Fact]
    public void Halts_refuse_orders_but_allow_cancels_and_the_close_expires_day_orders()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Buy, 100, 5));
        book.Submit(Limit(2, Side.Buy, 99, 5, tif: TimeInForce.Gtc));
        book.Halt();
        book.Submit(Limit(3, Side.Sell, 100, 5, owner: 2));
        Assert.Equal((3L, RejectReason.NotTrading), events.Rejected.Single());
        book.Cancel(1);
        book.Resume();
        book.Submit(Limit(4, Side.Buy, 98, 5));
        book.Close();
        Assert.Equal([2L], book.Orders(Side.Buy).Select(o => o.OrderId));
        Assert.Contains((4L, 5L, CancelReason.SessionEnd), events.Canceled);
    }

    [Fact]
    public void Bad_requests_are_rejected_with_reasons()
    {
        var events = new MatchingRecorder();
        var book = new OrderBook(events);
        book.Submit(Limit(1, Side.Buy, 100, 0));
        book.Submit(Limit(2, Side.Buy, 0, 5));
        book.Submit(Limit(3, Side.Buy, 100, 5));
        book.Submit(Limit(3, Side.Buy, 100, 5));
        book.Submit(new OrderRequest(4, 1, Side.Buy, OrderType.Stop, TimeInForce.Day, 100, 5));
        book.Cancel(99);
        Assert.Equal([RejectReason.InvalidQuantity, RejectReason.InvalidPrice, RejectReason.DuplicateOrderId, RejectReason.UnsupportedOrderType, RejectReason.UnknownOrder],
            events.Rejected.Select(r => r.Reason));
    }

    [Fact]
    public void Random_flow_matches_the_reference_model_and_keeps_the_invariants() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 1_000_000)), seed =>
        {
            var rnd = new Random(seed);
            var events = new MatchingRecorder();
            var book = new OrderBook(events);
            var reference = new ReferenceBook();
            var ids = new List<long>();
            for (var step = 0; step < 300; step++)
            {
                var roll = rnd.NextDouble();
                if (roll < 0.65 || ids.Count == 0)
                {
                    var id = step + 1L;
                    var tif = rnd.NextDouble() switch { < 0.6 => TimeInForce.Day, < 0.7 => TimeInForce.Gtc, < 0.8 => TimeInForce.Ioc, < 0.9 => TimeInForce.Fok, _ => TimeInForce.PostOnly };
                    var type = rnd.NextDouble() < 0.08 ? OrderType.Market : OrderType.Limit;
                    var request = new OrderRequest(id, rnd.Next(1, 4), rnd.Next(2) == 0 ? Side.Buy : Side.Sell, type, type == OrderType.Market ? TimeInForce.Ioc : tif,
                        type == OrderType.Market ? 0 : rnd.Next(95, 106), rnd.Next(1, 11));
                    book.Submit(request);
                    reference.Submit(request);
                    ids.Add(id);
                }
                else if (roll < 0.85)
                {
                    var id = ids[rnd.Next(ids.Count)];
                    book.Cancel(id);
                    reference.Cancel(id);
                }
                else
                {
                    var id = ids[rnd.Next(ids.Count)];
                    var (price, qty) = (rnd.Next(95, 106), (long)rnd.Next(1, 11));
                    book.Replace(id, price, qty);
                    reference.Replace(id, price, qty);
                }
                if (book.BestBid is { } bid && book.BestAsk is { } ask && bid >= ask) return false.Label($"crossed book {bid} >= {ask} at step {step}");
            }
            var fills = events.Fills.Select(f => (f.MakerOrderId, f.TakerOrderId, f.PriceTicks, f.Quantity)).ToList();
            if (!fills.SequenceEqual(reference.Fills)) return false.Label("fills differ from the reference model");
            foreach (var side in new[] { Side.Buy, Side.Sell })
                if (!book.Orders(side).SequenceEqual(reference.Orders(side))) return false.Label($"{side} book differs from the reference model");
            // Conservation: every accepted unit is filled, cancelled or resting (replaces re-accept the open units).
            var accepted = events.Accepted.Sum(a => a.Quantity);
            var filled = 2 * events.Fills.Sum(f => f.Quantity);
            var canceled = events.Canceled.Sum(c => c.Quantity);
            var reduced = events.ReducedUnits;
            var resting = book.Orders(Side.Buy).Sum(o => o.Quantity) + book.Orders(Side.Sell).Sum(o => o.Quantity);
            return (accepted == filled + canceled + reduced + resting).Label($"accepted {accepted} != filled {filled} + canceled {canceled} + reduced {reduced} + resting {resting}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
}
