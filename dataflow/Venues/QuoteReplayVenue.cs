using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Policy;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Venue;
using Apache.Arrow;

namespace CroweLogic.Flow.Dataflow.Venues;

/// <summary>
/// The simulated venue for ticks: the gateways' <see cref="ReplayVenue"/> (marketable orders take the recorded touch up
/// to its displayed size, passive orders queue behind the displayed depth), fed the recorded quotes and trades. Quotes are
/// kept per instrument and handed to the replay venue only when an order arrives or rests there, so the cost of the
/// venue scales with orders, not with market events. The spread paid is recorded per fill against the mid at arrival.
/// </summary>
public sealed class QuoteReplayVenue : IExecutionVenue, IVenueSubscriber
{
    private readonly ReplayVenue _venue;
    private readonly InstrumentIds _instruments;
    private TopOfBook[] _quotes = [];
    private readonly Dictionary<string, string> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _openPerSymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _mid = new(StringComparer.Ordinal);
    private LaneMessage? _output;
    private RecordBatch? _batch;
    private byte[] _kind = [];
    private double[] _price = [], _size = [], _bid = [], _bidSize = [], _ask = [], _askSize = [];

    /// <summary>A replay venue charging the policy's commission as the taker fee.</summary>
    public QuoteReplayVenue(TradingPolicy policy, InstrumentIds instruments, string name = "SIM-TICKS")
    {
        _venue = new ReplayVenue(this, name, makerFeeBps: -0.2, takerFeeBps: policy.CostsOrDefault.CommissionBps);
        _instruments = instruments;
    }

    /// <inheritdoc />
    public string Name => _venue.Venue;

    /// <inheritdoc />
    public void OnMarket(MarketBatch market, int row, int id, long ts, LaneMessage output)
    {
        if (!ReferenceEquals(market.Batch, _batch))
        {
            _batch = market.Batch;
            // Columns are read once per batch into plain arrays: the venue sees every row, one at a time.
            var kinds = LaneColumns.Bytes(LaneColumns.Column(_batch, "kind", "the tick venue"), ref _kind);
            if (_kind.Length < kinds.Length) _kind = new byte[kinds.Length];
            kinds.CopyTo(_kind);
            Read("price", ref _price);
            Read("size", ref _size);
            Read("bid", ref _bid);
            Read("bid_size", ref _bidSize);
            Read("ask", ref _ask);
            Read("ask_size", ref _askSize);
        }
        var symbol = (string?)null;
        if (_kind[row] == TickKind.Trade)
        {
            if (_open.Count == 0 || !_openPerSymbol.ContainsKey(symbol = _instruments.Name(id))) return;
            _output = output;
            _venue.OnTrade(new Trade(symbol, ts, ts, 0, _price[row], _size[row], Name, ""));
            return;
        }
        if (id >= _quotes.Length)
        {
            var old = _quotes.Length;
            System.Array.Resize(ref _quotes, Math.Max(id + 1, old * 2));
            _quotes.AsSpan(old).Fill(TopOfBook.Empty);
        }
        var quote = _quotes[id] = _quotes[id].Update(ts, _bid[row], _bidSize[row], _ask[row], _askSize[row]);
        if (_open.Count == 0 || !_openPerSymbol.ContainsKey(symbol = _instruments.Name(id))) return;
        _output = output;
        _venue.OnQuote(ToQuote(symbol, quote));
    }

    /// <inheritdoc />
    public void Submit(OrderIntent intent, LaneMessage output)
    {
        _output = output;
        var order = intent.Order;
        if (intent.Id < _quotes.Length && _quotes[intent.Id] is { Ts: > long.MinValue } quote)
        {
            _venue.OnQuote(ToQuote(order.Instrument, quote));
            if (quote.Bid > 0 && quote.Ask > 0) _mid[order.OrderId] = (quote.Bid + quote.Ask) / 2;
        }
        _venue.Submit(order, order.Ts);
    }

    /// <inheritdoc />
    public void Close(long ts, LaneMessage output)
    {
        _output = output;
        foreach (var orderId in _open.Keys.Order(StringComparer.Ordinal).ToList()) _venue.Cancel(orderId, ts);
    }

    /// <inheritdoc />
    public void OnExecutionReport(ExecutionReport report)
    {
        var output = _output ?? throw new InvalidOperationException("the replay venue reported outside a message");
        output.Reports.Add(report);
        if (report.IsFill && _mid.TryGetValue(report.OrderId, out var mid))
            output.FillCosts.Add(new FillCost(report.ExecId, Math.Abs(report.LastPrice - mid) * report.LastQty, 0));
        if (report.Status is OrderStatus.New or OrderStatus.PartiallyFilled)
        {
            if (_open.TryAdd(report.OrderId, report.Instrument)) _openPerSymbol[report.Instrument] = _openPerSymbol.GetValueOrDefault(report.Instrument) + 1;
        }
        else if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired)
        {
            _mid.Remove(report.OrderId);
            if (_open.Remove(report.OrderId, out var symbol) && --_openPerSymbol[symbol] == 0) _openPerSymbol.Remove(symbol);
        }
    }

    /// <inheritdoc />
    public void OnCancelReject(OrderCancelRejected reject)
    {
    }

    private void Read(string name, ref double[] into)
    {
        var values = LaneColumns.DoublesOrNaN(LaneColumns.Doubles(_batch!, name, "the tick venue"), ref into);
        if (into.Length < values.Length) into = new double[values.Length];
        values.CopyTo(into);
    }

    private Quote ToQuote(string symbol, TopOfBook q) =>
        new(symbol, q.Ts, q.Ts, 0, Nullable(q.Bid), Nullable(q.BidSize), Nullable(q.Ask), Nullable(q.AskSize), Name, "");

    private static double? Nullable(double value) => double.IsFinite(value) ? value : null;
}
