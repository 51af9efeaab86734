using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The replay venue for daily bars behind the execution port: an order fills at the instrument's next open (in adjusted
/// prices, so splits and dividends do not show up as PnL), paying half the spread and square-root market impact,
/// Y · σ · √(Q / ADV), with σ the EWMA daily volatility and ADV the 20-bar mean volume. The whole order fills (an order
/// larger than the bar can absorb pays for it in impact): the lane's view of its position must stay the venue's.
/// Commission is charged on notional.
/// </summary>
public sealed class BarReplayClient(TradingPolicy policy, string name = "SIM-BARS") : IExecutionClient, IMarketObserver
{
    private const int AdvWindow = 20;
    private const double Decay = 0.94;
    private readonly CostModel _costs = policy.CostsOrDefault;
    private readonly Dictionary<int, List<Order>> _pending = [];
    private readonly Dictionary<int, State> _state = [];
    private IExecutionEvents? _events;
    private long _execId;

    /// <inheritdoc />
    public string Venue => name;

    /// <inheritdoc />
    public bool IsLive => false;

    /// <inheritdoc />
    public void Start(IExecutionEvents events) => _events = events;

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        switch (command)
        {
            case SubmitOrder submit:
                var order = submit.Order;
                Report(order, order.Ts, ExecType.New, OrderStatus.New, 0, 0, 0, order.Quantity, 0, 0, "");
                if (!_pending.TryGetValue(submit.Instrument, out var list)) _pending[submit.Instrument] = list = [];
                list.Add(order);
                break;
            case CancelOrder cancel:
                foreach (var (_, orders) in _pending)
                {
                    var index = orders.FindIndex(o => o.OrderId == cancel.OrigClOrdId);
                    if (index < 0) continue;
                    var canceled = orders[index];
                    orders.RemoveAt(index);
                    Report(canceled, cancel.Ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, 0, "", cancel.Reason);
                    return;
                }
                Events.OnCancelRejected(new OrderCancelRejected(cancel.ClOrdId, cancel.OrigClOrdId, "NONE", OrderStatus.Rejected, 1, 1, $"order {cancel.OrigClOrdId} is not open"));
                break;
            case ReplaceOrder replace:
                Events.OnCancelRejected(new OrderCancelRejected(replace.ClOrdId, replace.OrigClOrdId, "NONE", OrderStatus.Rejected, 2, 2, "the bar venue fills whole orders at the next open; it does not replace them"));
                break;
        }
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts)
    {
    }

    /// <inheritdoc />
    public void Close(long ts)
    {
        foreach (var order in _pending.Values.SelectMany(l => l).OrderBy(o => o.OrderId, StringComparer.Ordinal))
            Report(order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, 0, "", "the feed ended before the instrument's next bar");
        _pending.Clear();
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize) =>
        throw new InvalidOperationException("the bar venue replays bars; a tick feed needs the tick venue");

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume)
    {
        var adjusted = double.IsNaN(adjustedClose) ? close : adjustedClose;
        var factor = adjusted / close;
        var adjustedOpen = open * factor;
        var adjustedVolume = volume / factor;
        if (!_state.TryGetValue(instrument, out var state)) _state[instrument] = state = new State();
        if (_pending.Remove(instrument, out var orders))
        {
            foreach (var order in orders) Fill(order, ts, adjustedOpen, state);
        }
        if (state.Close > 0)
        {
            var r = Math.Log(adjusted / state.Close);
            state.Variance = state.Count < 2 ? r * r : (Decay * state.Variance) + ((1 - Decay) * r * r);
        }
        state.Close = adjusted;
        state.Volumes[state.Count++ % AdvWindow] = double.IsFinite(adjustedVolume) ? adjustedVolume : 0;
    }

    private IExecutionEvents Events => _events ?? throw new InvalidOperationException("the bar venue was not started");

    private void Fill(Order order, long ts, double open, State state)
    {
        var quantity = order.Quantity;
        var adv = state.Count == 0 ? double.NaN : state.Volumes.Take((int)Math.Min(state.Count, AdvWindow)).Average();
        var sigma = state.Count >= 2 ? Math.Sqrt(state.Variance) : 0.02;
        var impact = adv > 0 ? _costs.ImpactCoefficient * sigma * Math.Sqrt(quantity / adv) : 0;
        var spread = _costs.HalfSpreadBps / 1e4;
        var sign = order.Side == Side.Buy ? 1 : -1;
        var price = open * (1 + (sign * (spread + impact)));
        var notional = quantity * price;
        var fee = notional * _costs.CommissionBps / 1e4;
        var report = Report(order, ts, ExecType.Trade, OrderStatus.Filled, quantity, price, quantity, 0, price, fee, "taker");
        Events.OnFillCost(new FillCost(report.ExecId, open * spread * quantity, open * impact * quantity));
    }

    private ExecutionReport Report(Order order, long ts, ExecType type, OrderStatus status, double lastQty, double lastPrice, double cum, double leaves, double average, double fee, string liquidity, string text = "")
    {
        var report = new ExecutionReport($"{name}-{++_execId}", order.OrderId, order.Instrument, ts, type, status, order.Side, lastQty, lastPrice, cum, leaves, average, fee, name, liquidity, text);
        Events.OnReport(report);
        return report;
    }

    private sealed class State
    {
        public double Close { get; set; }

        public double Variance { get; set; }

        public long Count { get; set; }

        public double[] Volumes { get; } = new double[AdvWindow];
    }
}
