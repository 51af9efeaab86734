using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Acknowledges each order with ExecType New, as a venue would before matching (allocates nothing per order).</summary>
public sealed class AckingVenue : IFixApplication
{
    private readonly FixOutbound _ack = new(FixMsgType.ExecutionReport);
    private int _exec;

    /// <inheritdoc />
    public void FromApp(FixMessage message, FixSession session)
    {
        _ack.Reset(FixMsgType.ExecutionReport).Body.Add(FixTag.OrderId, "V1").Add(FixTag.ClOrdId, message.TryGet(FixTag.ClOrdId, out var id) ? id : default)
            .Add(FixTag.ExecId, ++_exec).Add(FixTag.ExecType, '0').Add(FixTag.OrdStatus, '0').Add(FixTag.Symbol, "MSFT").Add(FixTag.Side, '1')
            .Add(FixTag.LeavesQty, 100).Add(FixTag.CumQty, 0).Add(FixTag.AvgPx, 0);
        session.Send(_ack);
    }
}

/// <summary>Waits for the next acknowledgement (ExecType New): spins briefly, then blocks, so the waiter wakes as soon as the ack is parsed.</summary>
public sealed class AckWaiter : IFixApplication
{
    private readonly ManualResetEventSlim _acked = new(false, spinCount: 2000);

    /// <summary>Forgets the last acknowledgement.</summary>
    public void Reset() => _acked.Reset();

    /// <summary>Blocks until an acknowledgement arrives.</summary>
    /// <exception cref="TimeoutException">None came within 10 s.</exception>
    public void Wait()
    {
        if (!_acked.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("no ack within 10 s");
    }

    /// <inheritdoc />
    public void FromApp(FixMessage message, FixSession session)
    {
        if (message.MsgTypeString == FixMsgType.ExecutionReport && message.Is(FixTag.ExecType, "0")) _acked.Set();
    }
}
