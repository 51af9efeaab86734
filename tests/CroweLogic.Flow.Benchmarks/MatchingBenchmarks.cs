using BenchmarkDotNet.Attributes;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Benchmarks;

/// <summary>
/// Matching engine throughput: one million operations of a realistic mix (62 % limit orders around a drifting mid,
/// some marketable; 25 % cancels; 8 % market/IOC; 5 % replaces) through one book. Orders/s = 1e6 / mean.
/// Run: dotnet run -c Release --project tests/CroweLogic.Flow.Benchmarks -- --filter '*Matching*'
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MatchingBenchmarks
{
    private const int Operations = 1_000_000;
    private (byte Kind, OrderRequest Order)[] _flow = [];

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(11);
        var flow = new List<(byte, OrderRequest)>(Operations);
        var live = new List<long>();
        long mid = 10_000;
        for (var i = 0; i < Operations; i++)
        {
            if (i % 1000 == 0) mid += rnd.Next(-3, 4);
            var roll = rnd.NextDouble();
            var side = rnd.Next(2) == 0 ? Side.Buy : Side.Sell;
            if (roll < 0.62 || live.Count == 0)
            {
                var offset = rnd.Next(-2, 20);
                var price = side == Side.Buy ? mid - offset : mid + offset;
                var order = new OrderRequest(i + 1, rnd.Next(1, 50), side, OrderType.Limit, TimeInForce.Day, price, rnd.Next(1, 500));
                flow.Add((0, order));
                live.Add(order.OrderId);
            }
            else if (roll < 0.87)
            {
                var at = rnd.Next(live.Count);
                flow.Add((1, new OrderRequest(live[at], 0, side, OrderType.Limit, TimeInForce.Day, 0, 0)));
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
            }
            else if (roll < 0.95) flow.Add((0, new OrderRequest(i + 1, rnd.Next(1, 50), side, OrderType.Market, TimeInForce.Ioc, 0, rnd.Next(1, 300))));
            else flow.Add((2, new OrderRequest(live[rnd.Next(live.Count)], 0, side, OrderType.Limit, TimeInForce.Day, mid + rnd.Next(-10, 10), rnd.Next(1, 500))));
        }
        _flow = [.. flow];
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public int MillionOperations()
    {
        var book = new OrderBook(new CountingListener());
        foreach (var (kind, order) in _flow)
        {
            switch (kind)
            {
                case 0:
                    book.Submit(order);
                    break;
                case 1:
                    book.Cancel(order.OrderId);
                    break;
                default:
                    book.Replace(order.OrderId, order.PriceTicks, order.Quantity);
                    break;
            }
        }
        return book.OrderCount;
    }

    private sealed class CountingListener : IMatchingListener
    {
        public long Events;

        public void OnAccepted(in OrderRequest order) => Events++;
        public void OnRejected(long orderId, RejectReason reason) => Events++;
        public void OnFill(in Fill fill) => Events++;
        public void OnCanceled(long orderId, long canceledQuantity, CancelReason reason) => Events++;
        public void OnReduced(long orderId, long newQuantity) => Events++;
        public void OnLevel(Side side, long priceTicks, long quantity, int orders) => Events++;
    }
}
