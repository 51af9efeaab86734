using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The PnL and attribution agent: positions and average cost from fills, marks from the feature rows, both in event
/// order; realised and unrealised PnL, commissions, daily borrow on short notional, and the attribution of trading cost
/// into spread, impact and slippage against the decision price. Closes a session record and a snapshot at every session
/// change and reports the final book per instrument when the feed ends. The execution desk steps it through a message
/// alongside the venue, so <see cref="Equity"/> and <see cref="Exposure"/> at a decision include every earlier fill.
/// </summary>
public sealed class PnlAgent(TradingPolicy policy, InstrumentIds instruments, string portfolio, LaneTelemetry telemetry)
{
    private const long Day = 86_400_000_000_000L;
    private readonly CostModel _costs = policy.CostsOrDefault;
    private readonly Dictionary<int, Position> _positions = [];

    // The same positions in the order they opened (the dictionary's own order: none is ever removed), so equity, read at
    // every decision, is a plain loop with the dictionary's summation order and therefore its exact result.
    private readonly List<Position> _book = [];
    private readonly Dictionary<string, OpenOrder> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<int, double> _working = [];
    private readonly Dictionary<string, FillCost> _costsByExec = new(StringComparer.Ordinal);
    private readonly MarkBook _marks = new();
    private readonly List<SessionRecord> _sessions = [];
    private double _realized, _fees, _slippage, _spread, _impact, _traded;
    private long _session = long.MinValue;
    private long _lastTs;
    private SessionRecord? _opening;
    private LaneMessage? _message;
    private int _row, _nextOrder, _nextReport, _nextCost;
    private Action<int, int, double>? _moved;

    /// <summary>Every closed session, in order.</summary>
    public IReadOnlyList<SessionRecord> Sessions => _sessions;

    /// <summary>Fills executed.</summary>
    public long Fills { get; private set; }

    /// <summary>Current equity.</summary>
    public double Equity => _costs.InitialEquity + _realized + Unrealized() - _fees;

    /// <summary>Starts a message: its orders and fills are taken in as the desk produces them.</summary>
    public void Begin(LaneMessage message)
    {
        (_message, _row, _nextOrder, _nextReport, _nextCost) = (message, 0, 0, 0, 0);
        _marks.Begin(message.Features);
    }

    /// <summary>Books fills and marks up to insertion point <paramref name="at"/> among the message's feature rows.</summary>
    public void AdvanceTo(int at)
    {
        var message = _message ?? throw new InvalidOperationException("the PnL agent has no message: call Begin first");
        TakeOrders(message);
        if (message.Features is not { } rows) return;
        for (; _row < rows.Count && _row < at; _row++)
        {
            // The session closes before any fill of the next one is booked: bars of a day share one time, and which of
            // the day's fills the venue has produced by now depends on where the next decision falls.
            var ts = rows.Ts[_row];
            if (ts / Day != _session)
            {
                if (_session != long.MinValue) CloseSession(message);
                _session = ts / Day;
            }
            ApplyReports(message, ts);
            _marks.AdvanceTo(_row + 1, _moved ??= Moved);
        }
    }

    /// <summary>Books the rest of the message; at the end of the feed, closes the session and reports the final book.</summary>
    public void Finish()
    {
        var message = _message ?? throw new InvalidOperationException("the PnL agent has no message: call Begin first");
        AdvanceTo(int.MaxValue);
        ApplyReports(message, long.MaxValue);
        if (message.EndOfFeed)
        {
            if (_session != long.MinValue) CloseSession(message);
            foreach (var (id, p) in _positions.OrderBy(kv => kv.Key))
                message.Pnl.Add(new PnlSnapshot(portfolio, instruments.Name(id), _lastTs, p.Realized, p.Unrealized, p.Fees, p.Slippage, Equity));
        }
        _message = null;
    }

    /// <summary>Shares held plus the unfilled part of open orders: what the router sizes the next order against.</summary>
    public double Exposure(int id) => Held(id) + _working.GetValueOrDefault(id);

    /// <summary>Shares held (fills only).</summary>
    public double Held(int id) => _positions.TryGetValue(id, out var p) ? p.Quantity : 0;

    /// <summary>Instruments with a position, by id.</summary>
    public IEnumerable<int> Holding => _positions.Where(kv => kv.Value.Quantity != 0).Select(kv => kv.Key).Order();

    private void TakeOrders(LaneMessage message)
    {
        for (; _nextOrder < message.Orders.Count; _nextOrder++)
        {
            var intent = message.Orders[_nextOrder];
            var signed = intent.Order.Side == Side.Buy ? intent.Order.Quantity : -intent.Order.Quantity;
            _open[intent.Order.OrderId] = new OpenOrder(intent, signed);
            _working[intent.Id] = _working.GetValueOrDefault(intent.Id) + signed;
        }
    }

    private void ApplyReports(LaneMessage message, long until)
    {
        for (; _nextCost < message.FillCosts.Count; _nextCost++) _costsByExec[message.FillCosts[_nextCost].ExecId] = message.FillCosts[_nextCost];
        for (; _nextReport < message.Reports.Count && message.Reports[_nextReport].Ts <= until; _nextReport++) Apply(message.Reports[_nextReport]);
    }

    private void Moved(int row, int id, double previous)
    {
        var rows = _message!.Features!;
        _lastTs = rows.Ts[row];
        if (_positions.TryGetValue(id, out var position)) position.Mark = rows.Mark[row];
    }

    private void Apply(ExecutionReport report)
    {
        if (!_open.TryGetValue(report.OrderId, out var open)) return;
        var intent = open.Intent;
        if (report.IsFill)
        {
            Fills++;
            var signed = report.SignedLastQty;
            open.Remaining -= signed;
            // Opposite working orders on one instrument can net to zero and drop the key while both stay open.
            _working[intent.Id] = _working.GetValueOrDefault(intent.Id) - signed;
            if (!_positions.TryGetValue(intent.Id, out var position))
            {
                _positions[intent.Id] = position = new Position { Mark = report.LastPrice };
                _book.Add(position);
            }
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
            var left = _working.GetValueOrDefault(intent.Id) - open.Remaining;
            if (left == 0) _working.Remove(intent.Id);
            else _working[intent.Id] = left;
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
        message.Pnl.Add(new PnlSnapshot(portfolio, "", _lastTs, _realized, Unrealized(), _fees, _slippage, equity));
    }

    private double Unrealized()
    {
        var sum = 0.0;
        foreach (var position in _book) sum += position.Unrealized;
        return sum;
    }

    /// <summary>An order at the venue and its signed quantity not yet filled.</summary>
    private sealed class OpenOrder(OrderIntent intent, double remaining)
    {
        public OrderIntent Intent { get; } = intent;

        public double Remaining { get; set; } = remaining;
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
