using System.Net;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// The order path of the session layer allocates nothing once warm (both ends, over loopback TCP): allocations feed the
/// garbage collector, and its pauses are what a FIX engine's latency tail is made of. Allocations are counted process
/// wide, so the test runs alone.
/// </summary>
[Collection(AllocationCollection.Name)]
public class FixAllocationTests
{
    [Fact]
    public async Task An_order_and_its_ack_allocate_nothing_in_either_session()
    {
        var log = new MemoryFixLog();
        var acceptor = new FixAcceptor(log, new FixSessionSettings("VENUE", "FLOW"));
        await using (acceptor)
        {
            using var venueStore = new MemoryFixMessageStore();
            acceptor.AddSession(new FixSessionSettings("VENUE", "FLOW"), venueStore, new AckingVenue());
            var port = acceptor.Start(IPAddress.Loopback, 0).Port;
            var waiter = new AckWaiter();
            using var store = new MemoryFixMessageStore();
            var initiator = new FixInitiator(new FixSessionSettings("FLOW", "VENUE") { ResetOnLogon = true }, store, waiter, log);
            await using (initiator)
            {
                await initiator.ConnectAsync("127.0.0.1", port);
                var order = new FixOutbound(FixMsgType.NewOrderSingle);
                order.Body.Add(FixTag.ClOrdId, "alloc-1").Add(FixTag.Symbol, "MSFT").Add(FixTag.Side, '1').AddTimestamp(FixTag.TransactTime, 1_795_000_000_000_000_000L)
                    .Add(FixTag.OrderQty, 100).Add(FixTag.OrdType, '2').Add(FixTag.Price, 412.5m);
                void RoundTrips(int n)
                {
                    for (var i = 0; i < n; i++)
                    {
                        waiter.Reset();
                        initiator.Session.Send(order);
                        waiter.Wait();
                    }
                }
                RoundTrips(2_000);
                var before = GC.GetTotalAllocatedBytes(precise: true);
                RoundTrips(5_000);
                var perRoundTrip = (GC.GetTotalAllocatedBytes(precise: true) - before) / 5_000.0;
                // Timers, the test framework and the thread pool allocate a little on their own; the order path must not.
                Assert.True(perRoundTrip < 8, $"{perRoundTrip:N1} bytes allocated per round trip");
            }
        }
    }
}

/// <summary>Tests that count the whole process's allocations: nothing runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "allocations";
}
