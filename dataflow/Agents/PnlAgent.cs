using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The PnL and attribution agent: positions and average cost from fills, marks from the feature rows, both in event
/// order; realised and unrealised PnL, commissions, daily borrow on short notional, and the attribution of trading cost
/// into spread, impact and slippage against the decision price. Closes a session record and a snapshot at every session
/// change and reports the final book per instrument when the feed ends.
/// </summary>
public sealed class PnlAgent(TradingPolicy policy, InstrumentIds instruments, string portfolio, LaneTelemetry telemetry)
{
    private const long Day = 86_400_000_000_000L;
    private readonly CostModel _costs = policy.CostsOrDefault;
    private readonly Dictionary<int, Position> _positions = [];
    private readonly Dictionary<string, OrderIntent> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FillCost> _costsByExec = new(StringComparer.Ordinal);
    private readonly MarkBook _marks = new();
    private readonly List<SessionRecord> _sessions = [];
    private double _realized, _fees, _slippage, _spread, _impact, _traded;
    private long _session = long.MinValue;
    private long _lastTs;
    private SessionRecord? _opening;

    /// <summary>Every closed session, in order.</summary>
    public IReadOnlyList<SessionRecord> Sessions => _sessions;

    /// <summary>Fills executed.</summary>
    public long Fills { get; private set; }

    /// <summary>Current equity.</summary>
    public double Equity => _costs.InitialEquity + _realized + _positions.Values.Sum(p => p.Unrealized) - _fees;

    /// <summary>Fills <see cref="LaneMessage.Pnl"/>.</summary>
    public void Account(LaneMessage message)
    {
        foreach (var intent in message.Orders) _open[intent.Order.OrderId] = intent;
        foreach (var cost in message.FillCosts) _costsByExec[cost.ExecId] = cost;
        var rows = message.Features;
        _marks.Begin(rows);
        var next = 0;
        void Moved(int row, int id, double previous)
        {
            var ts = rows!.Ts[row];
            if (ts / Day != _session)
            {
                if (_session != long.MinValue) CloseSession(message);
                _session = ts / Day;
            }
            _lastTs = ts;
            if (_positions.TryGetValue(id, out var position)) position.Mark = rows.Mark[row];
        }
        if (rows is not null)
        {
            for (var at = 0; at <= rows.Count; at++)
            {
                var until = at < rows.Count ? rows.Ts[at] : long.MaxValue;
                while (next < message.Reports.Count && message.Reports[next].Ts <= until) Apply(message.Reports[next++]);
                if (at < rows.Count) _marks.AdvanceTo(at + 1, Moved);
            }
        }
        while (next < message.Reports.Count) Apply(message.Reports[next++]);
        if (message.EndOfFeed)
        {
            if (_session != long.MinValue) CloseSession(message);
            foreach (var (id, p) in _positions.OrderBy(kv => kv.Key))
                message.Pnl.Add(new PnlSnapshot(portfolio, instruments.Name(id), _lastTs, p.Realized, p.Unrealized, p.Fees, p.Slippage, Equity));
        }
    }

    private void Apply(ExecutionReport report)
    {
        if (!_open.TryGetValue(report.OrderId, out var intent)) return;
        if (report.IsFill)
        {
            Fills++;
            var signed = report.SignedLastQty;
            if (!_positions.TryGetValue(intent.Id, out var position)) _positions[intent.Id] = position = new Position { Mark = report.LastPrice };
            _realized += position.Fill(signed, report.LastPrice);
            position.Fees += report.Fee;
            _fees += report.Fee;
            _traded += Math.Abs(signed * report.LastPrice);
            if (intent.DecisionPrice > 0)
            {
                var slip = (report.LastPrice - intent.DecisionPrice) * signed;
                position.Slippage += slip;
                _slippage += slip;
            }
            if (_costsByExec.Remove(report.ExecId, out var cost)) (_spread, _impact) = (_spread + cost.Spread, _impact + cost.Impact);
            telemetry.OrderFilled(report);
        }
        if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired)
        {
            _open.Remove(report.OrderId);
            telemetry.OrderDone(report);
        }
    }

    private void CloseSession(LaneMessage message)
    {
        var shortNotional = _positions.Values.Where(p => p.Quantity < 0).Sum(p => -p.Quantity * p.Mark);
        var borrow = shortNotional * _costs.BorrowBpsAnnual / 1e4 / 252;
        _fees += borrow;
        var equity = Equity;
        var gross = _positions.Values.Sum(p => Math.Abs(p.Quantity * p.Mark));
        var previous = _opening ?? new SessionRecord(0, 0, 0, 0, 0, 0, 0, 0);
        _sessions.Add(new SessionRecord(_lastTs, equity, _traded, gross, _fees - previous.Fees, _spread - previous.SpreadCost, _impact - previous.ImpactCost, _slippage - previous.Slippage));
        _opening = new SessionRecord(_lastTs, equity, 0, 0, _fees, _spread, _impact, _slippage);
        _traded = 0;
        message.Pnl.Add(new PnlSnapshot(portfolio, "", _lastTs, _realized, _positions.Values.Sum(p => p.Unrealized), _fees, _slippage, equity));
    }

    /// <summary>One instrument's position.</summary>
    private sealed class Position
    {
        public double Quantity { get; private set; }

        public double AverageCost { get; private set; }

        public double Realized { get; private set; }

        public double Mark { get; set; }

        public double Fees { get; set; }

        public double Slippage { get; set; }

        public double Unrealized => Quantity * (Mark - AverageCost);

        /// <summary>Applies a fill; returns the PnL it realised.</summary>
        public double Fill(double signed, double price)
        {
            if (Quantity == 0 || Math.Sign(signed) == Math.Sign(Quantity))
            {
                AverageCost = ((AverageCost * Math.Abs(Quantity)) + (price * Math.Abs(signed))) / (Math.Abs(Quantity) + Math.Abs(signed));
                Quantity += signed;
                return 0;
            }
            var closing = Math.Min(Math.Abs(signed), Math.Abs(Quantity));
            var realized = closing * (price - AverageCost) * Math.Sign(Quantity);
            Realized += realized;
            var remaining = Quantity + signed;
            if (remaining != 0 && Math.Sign(remaining) != Math.Sign(Quantity)) AverageCost = price;
            Quantity = remaining;
            if (Quantity == 0) AverageCost = 0;
            return realized;
        }
    }
}
