using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The replay venue for ticks behind the execution port: <see cref="ReplayVenue"/> (marketable orders take the recorded
/// touch up to its displayed size, passive orders queue behind the displayed depth), fed the recorded quotes and trades.
/// Quotes are kept per instrument and handed to the replay venue only when an order arrives or rests there, so the cost
/// of the venue scales with orders, not with market events. The spread paid is recorded per fill against the mid at
/// arrival.
/// </summary>
public sealed class TickReplayClient : IExecutionClient, IMarketObserver, IVenueSubscriber
{
    private readonly ReplayVenue _venue;
    private readonly IInstrumentNames _instruments;
    private TopOfBook[] _quotes = [];
    private readonly Dictionary<string, string> _open = new(StringComparer.Ordinal);
    private readonly ArrivalCosts _costs = new();
    private IExecutionEvents? _events;

    /// <summary>A replay venue charging the policy's commission as the taker fee.</summary>
    public TickReplayClient(TradingPolicy policy, IInstrumentNames instruments, string name = "SIM-TICKS")
    {
        _venue = new ReplayVenue(this, name, makerFeeBps: policy.CostsOrDefault.MakerFeeBps, takerFeeBps: policy.CostsOrDefault.CommissionBps);
        _instruments = instruments;
    }

    /// <inheritdoc />
    public string Venue => _venue.Venue;

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
                if ((uint)submit.Instrument < (uint)_quotes.Length && _quotes[submit.Instrument] is { Ts: > long.MinValue } quote)
                {
                    _venue.OnQuote(order.Instrument, quote.Ts, quote.Bid, quote.BidSize, quote.Ask, quote.AskSize);
                    if (quote.Bid > 0 && quote.Ask > 0) _costs.Arrived(order.OrderId, (quote.Bid + quote.Ask) / 2);
                }
                _venue.Submit(order, order.Ts);
                break;
            case CancelOrder cancel:
                _venue.Cancel(cancel.OrigClOrdId, cancel.Ts);
                break;
            case ReplaceOrder replace:
                Events.OnCancelRejected(new OrderCancelRejected(replace.ClOrdId, replace.OrigClOrdId, "NONE", OrderStatus.Rejected, 2, 2, "the tick replay venue does not replace orders: cancel and submit anew"));
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
        foreach (var orderId in _open.Keys.Order(StringComparer.Ordinal).ToList()) _venue.Cancel(orderId, ts);
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize)
    {
        var symbol = (string?)null;
        if (kind == TickKind.Trade)
        {
            if (_open.Count == 0 || !_venue.HasResting(symbol = _instruments.Name(instrument))) return;
            _venue.OnTrade(symbol, ts, price, size);
            return;
        }
        if (instrument >= _quotes.Length)
        {
            var old = _quotes.Length;
            System.Array.Resize(ref _quotes, Math.Max(instrument + 1, old * 2));
            _quotes.AsSpan(old).Fill(TopOfBook.Empty);
        }
        var quote = _quotes[instrument] = _quotes[instrument].Update(ts, bid, bidSize, ask, askSize);
        if (_open.Count == 0 || !_venue.HasResting(symbol = _instruments.Name(instrument))) return;
        _venue.OnQuote(symbol, quote.Ts, quote.Bid, quote.BidSize, quote.Ask, quote.AskSize);
    }

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume) =>
        throw new InvalidOperationException("the tick venue replays ticks; a bar feed needs the bar venue");

    /// <inheritdoc />
    public void OnExecutionReport(ExecutionReport report)
    {
        Events.OnReport(report);
        _costs.Reported(report, Events);
        if (report.Status is OrderStatus.New or OrderStatus.PartiallyFilled)
        {
            _open.TryAdd(report.OrderId, report.Instrument);
        }
        else if (report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Rejected or OrderStatus.Expired)
        {
            _open.Remove(report.OrderId);
        }
    }

    /// <inheritdoc />
    public void OnCancelReject(OrderCancelRejected reject) => Events.OnCancelRejected(reject);

    private IExecutionEvents Events => _events ?? throw new InvalidOperationException("the tick venue was not started");
}
