using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Policy;

namespace CroweLogic.Flow.Dataflow.Venues;

/// <summary>
/// The simulated venue for daily bars: an order fills at the instrument's next open (in adjusted prices, so splits and
/// dividends do not show up as PnL), paying half the spread and square-root market impact, Y · σ · √(Q / ADV), with σ
/// the EWMA daily volatility and ADV the 20-bar mean volume. The whole order fills (an order larger than the bar can
/// absorb pays for it in impact): the router's view of its position must stay the venue's. Commission is charged on notional.
/// </summary>
public sealed class BarVenue(TradingPolicy policy, string name = "SIM-BARS") : IExecutionVenue
{
    private const int AdvWindow = 20;
    private const double Decay = 0.94;
    private readonly CostModel _costs = policy.CostsOrDefault;
    private readonly Dictionary<int, List<OrderIntent>> _pending = [];
    private readonly Dictionary<int, State> _state = [];
    private long _execId;
    private Apache.Arrow.RecordBatch? _batch;
    private Apache.Arrow.DoubleArray? _open, _close, _adjusted, _volume;

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public void OnMarket(MarketBatch market, int row, int id, long ts, LaneMessage output)
    {
        if (!ReferenceEquals(market.Batch, _batch))
        {
            _batch = market.Batch;
            (_open, _close, _adjusted, _volume) = (Column("open"), Column("close"), Column("adj_close"), Column("volume"));
        }
        var close = _close!.Values[row];
        var adjusted = _adjusted!.IsNull(row) ? close : _adjusted.Values[row];
        var factor = adjusted / close;
        var open = LaneColumns.DoubleAt(_open!, row) * factor;
        var volume = LaneColumns.DoubleAt(_volume!, row) / factor;
        if (!_state.TryGetValue(id, out var state)) _state[id] = state = new State();
        if (_pending.Remove(id, out var orders))
        {
            foreach (var intent in orders) Fill(intent, ts, open, state, output);
        }
        if (state.Close > 0)
        {
            var r = Math.Log(adjusted / state.Close);
            state.Variance = state.Count < 2 ? r * r : (Decay * state.Variance) + ((1 - Decay) * r * r);
        }
        state.Close = adjusted;
        state.Volumes[state.Count++ % AdvWindow] = double.IsFinite(volume) ? volume : 0;
    }

    /// <inheritdoc />
    public void Submit(OrderIntent intent, LaneMessage output)
    {
        var order = intent.Order;
        Report(output, order, order.Ts, ExecType.New, OrderStatus.New, 0, 0, 0, order.Quantity, 0, 0, "");
        if (!_pending.TryGetValue(intent.Id, out var list)) _pending[intent.Id] = list = [];
        list.Add(intent);
    }

    /// <inheritdoc />
    public void Close(long ts, LaneMessage output)
    {
        foreach (var intent in _pending.Values.SelectMany(l => l).OrderBy(i => i.Order.OrderId, StringComparer.Ordinal))
            Report(output, intent.Order, ts, ExecType.Canceled, OrderStatus.Canceled, 0, 0, 0, 0, 0, 0, "", "the feed ended before the instrument's next bar");
        _pending.Clear();
    }

    private Apache.Arrow.DoubleArray Column(string column) => LaneColumns.Doubles(_batch!, column, "the bar venue");

    private void Fill(OrderIntent intent, long ts, double open, State state, LaneMessage output)
    {
        var order = intent.Order;
        var quantity = order.Quantity;
        var adv = state.Count == 0 ? double.NaN : state.Volumes.Take((int)Math.Min(state.Count, AdvWindow)).Average();
        var sigma = state.Count >= 2 ? Math.Sqrt(state.Variance) : 0.02;
        var impact = adv > 0 ? _costs.ImpactCoefficient * sigma * Math.Sqrt(quantity / adv) : 0;
        var spread = _costs.HalfSpreadBps / 1e4;
        var sign = order.Side == Side.Buy ? 1 : -1;
        var price = open * (1 + (sign * (spread + impact)));
        var notional = quantity * price;
        var fee = notional * _costs.CommissionBps / 1e4;
        var report = Report(output, order, ts, ExecType.Trade, OrderStatus.Filled, quantity, price, quantity, 0, price, fee, "taker");
        output.FillCosts.Add(new FillCost(report.ExecId, open * spread * quantity, open * impact * quantity));
    }

    private ExecutionReport Report(LaneMessage output, Order order, long ts, ExecType type, OrderStatus status, double lastQty, double lastPrice, double cum, double leaves, double average, double fee, string liquidity, string text = "")
    {
        var report = new ExecutionReport($"{name}-{++_execId}", order.OrderId, order.Instrument, ts, type, status, order.Side, lastQty, lastPrice, cum, leaves, average, fee, name, liquidity, text);
        output.Reports.Add(report);
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
