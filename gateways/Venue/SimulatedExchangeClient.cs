using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>
/// The <see cref="SimulatedExchange"/> in process, behind the execution port: our orders meet the recorded market
/// (<see cref="SimulatedMarket"/>) in a price-time book with the exchange's rules — tick and lot grids, maker/taker
/// fees, limit-up/limit-down bands and the pauses they trigger, day orders expiring at the close. Requests take effect
/// at their event time, so a replay gives the same fills however the feed was cut. A cancel or replace is reported
/// under the order's original ClOrdID.
/// </summary>
public sealed class SimulatedExchangeClient : IExecutionClient, IMarketObserver, IVenueSubscriber
{
    private readonly SimulatedExchange _exchange;
    private readonly SimulatedMarket _market;
    private readonly IInstrumentNames _names;
    private readonly ArrivalCosts _costs = new();
    private readonly OrderAliases _aliases = new();
    private IExecutionEvents? _events;

    /// <summary>A simulated exchange charging the policy's commission to orders that take liquidity.</summary>
    /// <param name="policy">The policy (commission).</param>
    /// <param name="names">The lane's instrument names.</param>
    /// <param name="venue">The exchange's name.</param>
    /// <param name="latencyNs">Order-entry latency: a request takes effect this long after it is sent.</param>
    public SimulatedExchangeClient(TradingPolicy policy, IInstrumentNames names, string venue = "SIM", long latencyNs = 0)
    {
        _names = names;
        _exchange = new SimulatedExchange([], this, venue, latencyNs);
        _market = new SimulatedMarket(_exchange, policy.CostsOrDefault.CommissionBps, policy.CostsOrDefault.MakerFeeBps);
    }

    /// <summary>The exchange (books, halts, reference prices).</summary>
    public SimulatedExchange Exchange => _exchange;

    /// <inheritdoc />
    public string Venue => _exchange.Venue;

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
                _market.Prepare(order, order.Ts);
                _costs.Arrived(order.OrderId, _market.Mid(order.Instrument));
                _exchange.Submit(order, order.Ts);
                _exchange.AdvanceTo(order.Ts);
                break;
            case CancelOrder cancel:
                _aliases.Add(cancel.ClOrdId, cancel.OrigClOrdId);
                if (!_exchange.IsListed(cancel.Instrument))
                {
                    Events.OnCancelRejected(new OrderCancelRejected(cancel.ClOrdId, cancel.OrigClOrdId, "", OrderStatus.Rejected, 1, 1, $"order {cancel.OrigClOrdId} is not open"));
                    return;
                }
                _exchange.Cancel(cancel.Instrument, cancel.ClOrdId, cancel.OrigClOrdId, cancel.Ts);
                _exchange.AdvanceTo(cancel.Ts);
                break;
            case ReplaceOrder replace:
                _aliases.Add(replace.ClOrdId, replace.OrigClOrdId);
                _market.Replacing(_aliases.Original(replace.OrigClOrdId), replace.LimitPrice);
                if (!_exchange.IsListed(replace.Instrument))
                {
                    Events.OnCancelRejected(new OrderCancelRejected(replace.ClOrdId, replace.OrigClOrdId, "", OrderStatus.Rejected, 2, 1, $"order {replace.OrigClOrdId} is not open"));
                    return;
                }
                _exchange.Replace(replace.Instrument, replace.ClOrdId, replace.OrigClOrdId, replace.Quantity, replace.LimitPrice, replace.Ts);
                _exchange.AdvanceTo(replace.Ts);
                break;
        }
    }

    /// <inheritdoc />
    public void AdvanceTo(long ts) => _exchange.AdvanceTo(ts);

    /// <inheritdoc />
    public void Close(long ts)
    {
        // With order-entry latency, what is in flight arrives first; the cancels then take the latency too.
        var latency = _exchange.LatencyNs;
        _exchange.AdvanceTo(ts + latency);
        foreach (var (clOrdId, symbol, _) in _market.Resting.ToList())
        {
            _aliases.Add($"{clOrdId}.close", clOrdId);
            _exchange.Cancel(symbol, $"{clOrdId}.close", clOrdId, ts + latency);
        }
        _exchange.AdvanceTo(ts + 2 * latency);
    }

    /// <inheritdoc />
    public void OnTick(int instrument, long ts, int kind, double price, double size, double bid, double bidSize, double ask, double askSize)
    {
        _exchange.AdvanceTo(ts);
        if (kind == TickKind.Trade) _market.Trade(_names.Name(instrument), ts, price, size);
        else _market.Quote(_names.Name(instrument), ts, bid, bidSize, ask, askSize);
    }

    /// <inheritdoc />
    public void OnBar(int instrument, long ts, double open, double high, double low, double close, double adjustedClose, double volume) =>
        throw new InvalidOperationException("the simulated exchange matches orders against recorded quotes; a bar feed trades on the bar venue (--venue replay)");

    /// <inheritdoc />
    public void OnExecutionReport(ExecutionReport report)
    {
        if (SimulatedMarket.IsBackground(report.OrderId))
        {
            _market.Observe(report);
            return;
        }
        report = _aliases.Resolve(report);
        _market.Observe(report);
        Events.OnReport(report);
        _costs.Reported(report, Events);
    }

    /// <inheritdoc />
    public void OnCancelReject(OrderCancelRejected reject)
    {
        if (!SimulatedMarket.IsBackground(reject.ClOrdId)) Events.OnCancelRejected(_aliases.Resolve(reject));
    }

    private IExecutionEvents Events => _events ?? throw new InvalidOperationException("the simulated exchange client was not started");
}
