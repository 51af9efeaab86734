using CroweLogic.Flow.Contracts.Execution;
using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>
/// A minimal venue behind our acceptor: acks every order, fills it at its limit (or 100) unless the symbol is HOLD,
/// cancels resting orders and rejects cancels of unknown ones. Records every order it accepted.
/// </summary>
internal sealed class TestVenueApplication : IFixApplication
{
    private readonly ConcurrentDictionary<string, Order> _resting = new();
    private int _execId;

    public ConcurrentQueue<Order> Accepted { get; } = new();

    public string? RequiredPassword { get; init; }

    public bool Authenticate(FixSession session, string? username, string? password) => RequiredPassword is null || password == RequiredPassword;

    public void FromApp(FixMessage message, FixSession session)
    {
        var now = CroweLogic.Flow.Contracts.Time.Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);
        switch (message.MsgTypeString)
        {
            case FixMsgType.NewOrderSingle:
            {
                var order = FixOrderMessages.ToOrder(message, "TESTVENUE");
                Accepted.Enqueue(order);
                session.Send(FixOrderMessages.ExecutionReport(Report(order, ExecType.New, OrderStatus.New, 0, 0, now), "V" + order.OrderId, order));
                if (order.Instrument == "HOLD")
                {
                    _resting[order.OrderId] = order;
                    return;
                }
                var price = order.LimitPrice ?? 100;
                session.Send(FixOrderMessages.ExecutionReport(Report(order, ExecType.Trade, OrderStatus.Filled, order.Quantity, price, now), "V" + order.OrderId, order));
                return;
            }
            case FixMsgType.OrderCancelRequest:
            {
                var orig = message.GetString(FixTag.OrigClOrdId)!;
                var clOrdId = message.GetString(FixTag.ClOrdId)!;
                if (_resting.TryRemove(orig, out var order))
                {
                    var report = Report(order, ExecType.Canceled, OrderStatus.Canceled, 0, 0, now) with { OrderId = clOrdId, LeavesQty = 0 };
                    var outbound = FixOrderMessages.ExecutionReport(report, "V" + orig, order);
                    outbound.Body.Add(FixTag.OrigClOrdId, orig);
                    session.Send(outbound);
                }
                else session.Send(FixOrderMessages.CancelReject(new OrderCancelRejected(clOrdId, orig, "NONE", OrderStatus.Rejected, 1, 1, "unknown order"), now));
                return;
            }
            default:
                throw new FixBusinessRejectException(3, $"MsgType {message.MsgTypeString} is not supported by the test venue");
        }
    }

    private ExecutionReport Report(Order order, ExecType type, OrderStatus status, double lastQty, double lastPrice, long now) =>
        new($"E{Interlocked.Increment(ref _execId)}", order.OrderId, order.Instrument, now, type, status, order.Side, lastQty, lastPrice,
            lastQty, order.Quantity - lastQty, lastQty > 0 ? lastPrice : 0, 0, "TESTVENUE", lastQty > 0 ? "taker" : "", "");
}
