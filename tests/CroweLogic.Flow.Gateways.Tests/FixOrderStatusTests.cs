using System.Collections.Concurrent;
using System.Globalization;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// Orders at a FIX venue reconciled after a reconnect that resends nothing (both sides reset their sequence numbers):
/// the client asks for each working order with OrderStatusRequest (35=H) and books what the ExecType I answers reveal —
/// fills at their average price and ends — exactly once, even when the venue later resends the same fill; and the
/// simulated exchange answers OrderStatusRequest as FIX 4.4 specifies.
/// </summary>
public sealed class FixOrderStatusTests
{
    [Fact]
    public async Task Fills_and_cancels_missed_while_the_session_was_down_are_booked_once_from_the_status_answers()
    {
        var venue = new ForgetfulVenue();
        await using var acceptor = new FixAcceptor();
        var venueSession = acceptor.AddSession(new FixSessionSettings("RST", "FLOW") { ResetOnLogon = true }, new MemoryFixMessageStore(), venue);
        var endpoint = acceptor.Start(System.Net.IPAddress.Loopback, 0);
        var events = new Events();
        await using var client = new FixExecutionClient(new FixVenueOptions("127.0.0.1", endpoint.Port) { TargetCompId = "RST", Venue = "RST", ResetOnLogon = true, ReconnectDelay = TimeSpan.FromMilliseconds(200) });
        client.Start(events);
        Order Buy(string id, double quantity) => new(id, "", "ACME", 0, Side.Buy, OrderType.Limit, TimeInForce.Day, quantity, 100, null, "", "RST", "p", []);
        client.Send(new SubmitOrder(Buy("A", 10), 0));
        client.Send(new SubmitOrder(Buy("B", 5), 0));
        client.Send(new SubmitOrder(Buy("C", 3), 0));
        await events.WaitAsync(() => events.Reports.Count(r => r.ExecType == ExecType.New) == 3, "three acknowledgements");
        // While nobody listens: A fills 6 of 10 in two prints and is cancelled, B fills, C rests untouched.
        venue.Silently("A", 4, 100.25, OrderStatus.PartiallyFilled);
        venue.Silently("A", 2, 100.10, OrderStatus.Canceled);
        venue.Silently("B", 5, 99.50, OrderStatus.Filled);
        venueSession.Logout("maintenance");
        await events.WaitAsync(() => client.Working == 1 && events.Reports.Count(r => r.OrderId == "A" && r.ExecType == ExecType.Canceled) == 1, "the reconciliation");
        Assert.Equal(["A", "B", "C"], venue.StatusRequests.Order());
        var a = Assert.Single(events.Reports, r => r.OrderId == "A" && r.IsFill);
        Assert.Equal(6, a.LastQty, 12);
        Assert.Equal((4 * 100.25 + 2 * 100.10) / 6, a.LastPrice, 9);
        Assert.Equal("fills the venue reported while the session was down (OrderStatusRequest)", a.Text);
        var b = Assert.Single(events.Reports, r => r.OrderId == "B" && r.IsFill);
        Assert.Equal((5.0, 99.5, OrderStatus.Filled), (b.LastQty, b.LastPrice, b.Status));
        Assert.DoesNotContain(events.Reports, r => r.OrderId == "C" && r.ExecType != ExecType.New);
        // The venue now sends B's fill after all (a late copy): the lane heard of it already.
        var before = events.Reports.Count;
        venue.Send("B", new ExecutionReport("late-B", "B", "ACME", 0, ExecType.Trade, OrderStatus.Filled, Side.Buy, 5, 99.5, 5, 0, 99.5, 0, "RST", "", ""));
        // C fills normally afterwards, and is reported as usual.
        venue.Send("C", new ExecutionReport("fill-C", "C", "ACME", 0, ExecType.Trade, OrderStatus.Filled, Side.Buy, 3, 100, 3, 0, 100, 0, "RST", "", ""));
        await events.WaitAsync(() => events.Reports.Any(r => r.ExecId == "fill-C"), "C's fill");
        Assert.Equal(before + 1, events.Reports.Count);
        Assert.Equal(0, client.Working);
    }

    [Fact]
    public async Task The_simulated_exchange_answers_an_order_status_request_with_exec_type_I_or_an_unknown_order()
    {
        await using var venue = new SimulatedFixVenue(new SimulatedVenueOptions(0));
        var endpoint = venue.Start();
        venue.List(["ACME"]);
        venue.Quote("ACME", 99.9, 100, 100.1, 100);
        await using var peer = await RawFixPeer.ConnectAsync(endpoint.Port, "FLOW", "SIM");
        await peer.LogonAsync();
        await peer.SendAsync(FixMsgType.NewOrderSingle, b => b.Add(FixTag.ClOrdId, "ord-1").Add(FixTag.Symbol, "ACME").Add(FixTag.Side, '1')
            .AddTimestamp(FixTag.TransactTime, 1_700_000_000_000_000_000, 3).Add(FixTag.OrderQty, 40).Add(FixTag.OrdType, '2').Add(FixTag.Price, 99.5).Add(FixTag.TimeInForce, '0'));
        var accepted = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        Assert.Equal("0", accepted.GetString(FixTag.ExecType));
        await peer.SendAsync(FixMsgType.OrderStatusRequest, b => b.Add(FixTag.ClOrdId, "ord-1").Add(790, "q-1").Add(FixTag.Symbol, "ACME").Add(FixTag.Side, '1'));
        var status = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        Assert.Equal(("I", "0", "q-1", "ord-1"), (status.GetString(FixTag.ExecType), status.GetString(FixTag.OrdStatus), status.GetString(790), status.GetString(FixTag.ClOrdId)));
        Assert.Equal(40m, decimal.Parse(status.GetString(FixTag.LeavesQty)!, CultureInfo.InvariantCulture));
        await peer.SendAsync(FixMsgType.OrderStatusRequest, b => b.Add(FixTag.ClOrdId, "never-sent").Add(FixTag.Symbol, "ACME").Add(FixTag.Side, '2'));
        var unknown = await peer.ExpectAsync(FixMsgType.ExecutionReport);
        Assert.Equal(("I", "8", "unknown order never-sent"), (unknown.GetString(FixTag.ExecType), unknown.GetString(FixTag.OrdStatus), unknown.GetString(FixTag.Text)));
    }

    /// <summary>A venue whose gateway loses what it could not deliver: fills made while the session was down are only in its order book.</summary>
    private sealed class ForgetfulVenue : IFixApplication
    {
        private readonly Dictionary<string, (Order Order, double Cum, double Notional, OrderStatus Status)> _orders = new(StringComparer.Ordinal);
        private FixSession? _session;
        private int _exec;

        public ConcurrentQueue<string> StatusRequests { get; } = new();

        public void Silently(string id, double quantity, double price, OrderStatus status)
        {
            lock (_orders)
            {
                var o = _orders[id];
                _orders[id] = (o.Order, o.Cum + quantity, o.Notional + quantity * price, status);
            }
        }

        public void Send(string id, ExecutionReport report)
        {
            Order order;
            lock (_orders) order = _orders[id].Order;
            _session!.Send(FixOrderMessages.ExecutionReport(report, "V" + id, order));
        }

        public void OnLogon(FixSession session) => _session = session;

        public void FromApp(FixMessage message, FixSession session)
        {
            switch (message.MsgTypeString)
            {
                case FixMsgType.NewOrderSingle:
                    var order = FixOrderMessages.ToOrder(message, "RST");
                    lock (_orders) _orders[order.OrderId] = (order, 0, 0, OrderStatus.New);
                    session.Send(FixOrderMessages.ExecutionReport(new ExecutionReport($"X{++_exec}", order.OrderId, "ACME", 0, ExecType.New, OrderStatus.New, Side.Buy, 0, 0, 0, order.Quantity, 0, 0, "RST", "", ""), "V" + order.OrderId, order));
                    break;
                case FixMsgType.OrderStatusRequest:
                    var id = message.GetString(FixTag.ClOrdId)!;
                    StatusRequests.Enqueue(id);
                    (Order Order, double Cum, double Notional, OrderStatus Status) o;
                    lock (_orders) o = _orders[id];
                    var leaves = o.Status is OrderStatus.New or OrderStatus.PartiallyFilled ? o.Order.Quantity - o.Cum : 0;
                    session.Send(FixOrderMessages.ExecutionReport(new ExecutionReport($"X{++_exec}", id, "ACME", 0, ExecType.OrderStatus, o.Status, Side.Buy, 0, 0, o.Cum, leaves, o.Cum > 0 ? o.Notional / o.Cum : 0, 0, "RST", "", ""), "V" + id, o.Order));
                    break;
            }
        }
    }

    private sealed class Events : IExecutionEvents
    {
        public ConcurrentQueue<ExecutionReport> Reports { get; } = new();

        public void OnReport(ExecutionReport report) => Reports.Enqueue(report);
        public void OnCancelRejected(OrderCancelRejected reject) { }
        public void OnFillCost(FillCost cost) { }
        public void OnChildOrder(Order child) { }
        public void OnConnection(bool connected, string reason) { }

        public async Task WaitAsync(Func<bool> done, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!done())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; reports: {string.Join(" | ", Reports.Select(r => $"{r.OrderId} {r.ExecType} {r.Status} {r.LastQty}@{r.LastPrice}"))}");
                await Task.Delay(20);
            }
        }
    }
}
