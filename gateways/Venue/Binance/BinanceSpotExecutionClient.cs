using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>
/// Binance spot behind the execution port, to the venue's documented protocol: orders placed, cancelled and replaced
/// through the signed REST API (<c>POST /api/v3/order</c>, <c>DELETE /api/v3/order</c>,
/// <c>POST /api/v3/order/cancelReplace</c>), execution reports from the user-data stream
/// (<see cref="BinanceUserDataStream"/>), and the REST order query as the source of truth whenever the stream may have
/// missed something — after a reconnect, an unreadable message, or a request whose outcome is unknown (a timeout or a
/// 5xx, which Binance documents as "may have been executed"). Every report the lane gets is derived from the order's
/// cumulative filled quantity, so the stream and the REST answers can both be read without a fill counted twice or
/// lost. Orders are put on the symbol's price and quantity grid first (<see cref="BinanceSymbolRules"/>); a 429 or 418
/// refuses orders until its Retry-After has passed instead of risking a ban. Commands go out one at a time, in order,
/// from one sender task, so a cancel never overtakes its order.
/// </summary>
public sealed partial class BinanceSpotExecutionClient : IExecutionClient, IBinanceUserDataEvents, IAsyncDisposable
{
    private readonly BinanceVenueOptions _options;
    private readonly Func<long>? _clock;
    private readonly BinanceRestClient _rest;
    private readonly BinanceUserDataStream _stream;
    private readonly Channel<Func<Task>> _work = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    // Guards the orders and serialises delivery: the sender task and the stream's thread both report.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrackedOrder> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrackedOrder> _byVenueId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BinanceSymbolRules> _rules = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);
    private IExecutionEvents? _events;
    private Task? _sender;
    private long _refuseUntil;
    private string _refusal = "";
    private int _disposed;

    /// <summary>A client for <paramref name="options"/>; <paramref name="clock"/> stamps the events (the lane's clock; null: the venue's transaction time).</summary>
    public BinanceSpotExecutionClient(BinanceVenueOptions options, Func<long>? clock = null, HttpMessageHandler? handler = null)
    {
        (_options, _clock) = (options, clock);
        _rest = new BinanceRestClient(options, handler);
        _stream = new BinanceUserDataStream(options, () => _rest.VenueNowMs, this);
    }

    /// <inheritdoc />
    public string Venue => _options.Venue;

    /// <inheritdoc />
    public bool IsLive => true;

    /// <summary>The REST client (usage headers, clock offset).</summary>
    public BinanceRestClient Rest => _rest;

    /// <summary>The user-data stream.</summary>
    public BinanceUserDataStream Stream => _stream;

    /// <summary>Orders reconciled from the REST API because the stream could not be trusted for them.</summary>
    public int Reconciled { get; private set; }

    /// <summary>Orders not yet done at the venue.</summary>
    public int Working
    {
        get
        {
            lock (_gate) return _orders.Values.Count(o => !o.Terminal);
        }
    }

    /// <inheritdoc />
    /// <exception cref="VenueException">The venue cannot be reached or refused the credentials.</exception>
    public void Start(IExecutionEvents events)
    {
        _events = events;
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
            _rest.SyncTimeAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or FormatException)
        {
            throw new VenueException($"Binance REST API {_options.RestBase}: cannot read the server time within {_options.ConnectTimeout.TotalSeconds:0.#} s: {e.Message}", e);
        }
        _stream.StartAsync().GetAwaiter().GetResult();
        _sender = Task.Run(SendLoopAsync);
    }

    /// <inheritdoc />
    public void Send(ExecutionCommand command)
    {
        switch (command)
        {
            case SubmitOrder submit:
                var tracked = new TrackedOrder(submit.Order, VenueId(submit.Order.OrderId));
                lock (_gate)
                {
                    _orders[submit.Order.OrderId] = tracked;
                    _byVenueId[tracked.VenueId] = tracked;
                }
                Enqueue(() => PlaceAsync(submit, tracked));
                break;
            case CancelOrder cancel:
                Enqueue(() => CancelAsync(cancel));
                break;
            case ReplaceOrder replace:
                Enqueue(() => ReplaceAsync(replace));
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
        List<TrackedOrder> open;
        lock (_gate) open = [.. _orders.Values.Where(o => !o.Terminal)];
        foreach (var order in open)
            Send(new CancelOrder($"{order.Order.OrderId}.close", order.Order.OrderId, order.Order.Instrument, order.Order.Side, order.Order.Quantity, ts, "the lane closed"));
        var deadline = Environment.TickCount64 + (long)_options.CloseTimeout.TotalMilliseconds;
        while (Working > 0 && Environment.TickCount64 < deadline) _changed.Wait(10);
    }

    /// <summary>Stops sending, closes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _work.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_sender is { } sender) await sender.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _rest.Dispose();
        _stop.Dispose();
        _changed.Dispose();
    }

    void IBinanceUserDataEvents.OnOrderUpdate(BinanceOrderUpdate update)
    {
        lock (_gate)
        {
            var venueId = update.ExecutionType == "CANCELED" && update.OrigClientOrderId.Length > 0 ? update.OrigClientOrderId : update.ClientOrderId;
            if (!_byVenueId.TryGetValue(venueId, out var order))
            {
                // Not this session's: the lane's order manager names it (an order placed by hand or by an earlier run).
                Report(new ExecutionReport($"{update.OrderId}-{update.ExecutionType}-{update.TradeId}", venueId, update.Symbol, Stamp(update.TransactTime),
                    update.ExecutionType == "TRADE" ? ExecType.Trade : ExecType.Restated, BinanceOrderMessages.Status(update.Status), update.Side,
                    (double)update.LastQty, (double)update.LastPrice, (double)update.CumQty, 0, 0, 0, Venue, "", "an order this session did not place"));
                return;
            }
            // A replaced order's old leg is cancelled by the replace, which reports it.
            if ((venueId != order.VenueId || order.ReplacingTo is not null) && update.ExecutionType == "CANCELED") return;
            var status = BinanceOrderMessages.Status(update.Status);
            switch (update.ExecutionType)
            {
                case "NEW":
                    Acknowledge(order, update.TransactTime, $"{update.OrderId}/new");
                    break;
                case "TRADE":
                    Acknowledge(order, update.TransactTime, $"{update.OrderId}/new");
                    Filled(order, update.CumQty, update.CumQuote, status, update.TransactTime, $"{update.OrderId}-{update.TradeId}",
                        Fee(order, update), update.Maker ? "maker" : "taker", update.LastQty, update.LastPrice);
                    break;
                default:
                    if (BinanceOrderMessages.IsTerminal(status))
                        Ended(order, status, update.TransactTime, $"{update.OrderId}/{update.ExecutionType}", update.RejectReason is "" or "NONE" ? "" : update.RejectReason);
                    break;
            }
        }
    }

    void IBinanceUserDataEvents.OnSubscribed(string description, bool reconnected)
    {
        Deliver(e => e.OnConnection(true, description));
        if (reconnected) Enqueue(() => ReconcileAsync("the user-data stream was down"));
    }

    void IBinanceUserDataEvents.OnTrouble(string reason, bool connected)
    {
        Deliver(e => e.OnConnection(connected, reason));
        if (connected) Enqueue(() => ReconcileAsync(reason));
    }

    // After disposal the writer is complete and the work is dropped: nothing is left to act on it.
    private void Enqueue(Func<Task> work) => _work.Writer.TryWrite(work);

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await work().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One command's failure must not stop the ones behind it; the lane hears of it.
                    Deliver(ev => ev.OnConnection(true, $"the Binance order client failed on a command: {e.GetType().Name}: {e.Message}"));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task PlaceAsync(SubmitOrder submit, TrackedOrder order)
    {
        var o = submit.Order;
        if (Refusing() is { } refusing)
        {
            Rejected(order, refusing);
            return;
        }
        var rules = await RulesAsync(o.Instrument).ConfigureAwait(false);
        if (rules is null)
        {
            Rejected(order, $"Binance's trading rules for {o.Instrument} could not be read: the order was not placed");
            return;
        }
        var quantity = rules.Quantity(o.Quantity);
        decimal? price = o.LimitPrice is { } limit ? rules.Price(limit, o.Side) : null;
        var reference = price ?? (submit.DecisionPrice > 0 ? (decimal)submit.DecisionPrice : null);
        if (rules.Refusal(quantity, reference) is { } refusal)
        {
            Rejected(order, refusal);
            return;
        }
        var parameters = OrderParameters(o, quantity, price, order.VenueId);
        parameters.Add(("newOrderRespType", "ACK"));
        BinanceRestAnswer answer;
        try
        {
            answer = await _rest.SignedAsync(HttpMethod.Post, "/api/v3/order", parameters, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            await Unknown(order, $"the submit's outcome is unknown ({e.Message})").ConfigureAwait(false);
            return;
        }
        if (answer.Ok)
        {
            lock (_gate) Acknowledge(order, AckTime(answer), $"{order.VenueId}/ack");
            return;
        }
        if (answer.RateLimited)
        {
            RefuseFor(answer);
            Rejected(order, $"Binance refused the order: {answer.Describe()} (rate limit); orders are refused here for {answer.RetryAfter?.TotalSeconds ?? 1:0.#} s as Retry-After says");
            return;
        }
        if ((int)answer.Status >= 500)
        {
            await Unknown(order, $"the submit's outcome is unknown ({answer.Describe()})").ConfigureAwait(false);
            return;
        }
        Rejected(order, $"Binance rejected the order: {answer.Describe()}");
    }

    private async Task CancelAsync(CancelOrder cancel)
    {
        TrackedOrder? order;
        lock (_gate) _orders.TryGetValue(cancel.OrigClOrdId, out order);
        if (order is null || order.Terminal)
        {
            CancelRefused(cancel.ClOrdId, cancel.OrigClOrdId, order is null ? 1 : 0, order is null ? OrderStatus.Rejected : order.Status, 1,
                order is null ? $"order {cancel.OrigClOrdId} was never placed at Binance by this session" : $"order {cancel.OrigClOrdId} is already {order.Status}");
            return;
        }
        List<(string, string)> parameters = [("symbol", order.Order.Instrument), ("origClientOrderId", order.VenueId), ("newClientOrderId", VenueId(cancel.ClOrdId))];
        BinanceRestAnswer answer;
        try
        {
            answer = await _rest.SignedAsync(HttpMethod.Delete, "/api/v3/order", parameters, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            // Whether it was cancelled is for the order query to say.
            await QueryAsync(order, $"the cancel's outcome is unknown ({e.Message})").ConfigureAwait(false);
            return;
        }
        if (answer.Ok)
        {
            Apply(order, BinanceOrderMessages.ParseOrder(answer.Body), $"cancelled: {cancel.Reason}");
            return;
        }
        if (answer.RateLimited) RefuseFor(answer);
        // Unknown order (−2011) mostly means it filled first: the query books what happened, then the refusal is named.
        await QueryAsync(order, "").ConfigureAwait(false);
        CancelRefused(cancel.ClOrdId, cancel.OrigClOrdId, answer.Error.Code == -2011 ? 0 : 99, order.Status, 1, $"Binance refused the cancel: {answer.Describe()}");
    }

    private async Task ReplaceAsync(ReplaceOrder replace)
    {
        TrackedOrder? order;
        lock (_gate) _orders.TryGetValue(replace.OrigClOrdId, out order);
        if (order is null || order.Terminal)
        {
            CancelRefused(replace.ClOrdId, replace.OrigClOrdId, order is null ? 1 : 0, order?.Status ?? OrderStatus.Rejected, 2,
                order is null ? $"order {replace.OrigClOrdId} was never placed at Binance by this session" : $"order {replace.OrigClOrdId} is already {order.Status}");
            return;
        }
        var rules = await RulesAsync(order.Order.Instrument).ConfigureAwait(false);
        decimal filled;
        lock (_gate) filled = order.ReportedCum;
        // Binance's replacement is a new order: it carries what is left of the new total.
        var quantity = rules?.Quantity(replace.Quantity - (double)filled) ?? 0;
        decimal? price = replace.LimitPrice is { } limit && rules is not null ? rules.Price(limit, replace.Side) : order.Order.LimitPrice is { } old && rules is not null ? rules.Price(old, replace.Side) : null;
        if (rules is null || rules.Refusal(quantity, price) is not null)
        {
            CancelRefused(replace.ClOrdId, replace.OrigClOrdId, 99, order.Status, 2, rules is null ? $"Binance's trading rules for {order.Order.Instrument} could not be read" : rules.Refusal(quantity, price)!);
            return;
        }
        var newId = VenueId(replace.ClOrdId);
        var parameters = OrderParameters(order.Order with { Type = price is null ? OrderType.Market : order.Order.Type }, quantity, price, newId);
        parameters.Add(("cancelReplaceMode", "STOP_ON_FAILURE"));
        parameters.Add(("cancelOrigClientOrderId", order.VenueId));
        lock (_gate)
        {
            _byVenueId[newId] = order;
            // The stream's CANCELED of the old leg may come before the answer: the replace reports it.
            order.ReplacingTo = newId;
        }
        BinanceRestAnswer answer;
        try
        {
            answer = await _rest.SignedAsync(HttpMethod.Post, "/api/v3/order/cancelReplace", parameters, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            await ReplaceUnknownAsync(order, replace, newId, quantity, $"the replace's outcome is unknown ({e.Message})").ConfigureAwait(false);
            return;
        }
        if ((int)answer.Status >= 500)
        {
            await ReplaceUnknownAsync(order, replace, newId, quantity, $"the replace's outcome is unknown ({answer.Describe()})").ConfigureAwait(false);
            return;
        }
        using var document = JsonDocument.Parse(answer.Body.Length == 0 ? "{}"u8.ToArray() : answer.Body);
        var root = document.RootElement;
        var data = root.TryGetProperty("data", out var d) ? d : root;
        var cancelled = BinanceJson.OptionalText(data, "cancelResult") == "SUCCESS";
        var placed = BinanceJson.OptionalText(data, "newOrderResult") == "SUCCESS";
        if (cancelled && data.TryGetProperty("cancelResponse", out var cancelResponse))
        {
            var oldLeg = BinanceOrderMessages.ParseOrder(Encoding.UTF8.GetBytes(cancelResponse.GetRawText()));
            Replaced(order, replace, oldLeg, placed ? newId : null, quantity, placed ? "" : $"the replace cancelled the order but Binance refused its replacement: {answer.Describe()}");
            return;
        }
        lock (_gate) order.ReplacingTo = null;
        if (answer.RateLimited) RefuseFor(answer);
        CancelRefused(replace.ClOrdId, replace.OrigClOrdId, 99, order.Status, 2, $"Binance refused the replace: {answer.Describe()}");
    }

    // The old leg is cancelled: its fills are booked, it is folded into the order's history, and the replacement (when
    // placed) carries the order on; otherwise the order ends cancelled.
    private void Replaced(TrackedOrder order, ReplaceOrder replace, BinanceOrderState oldLeg, string? newId, decimal quantity, string text)
    {
        lock (_gate)
        {
            order.ReplacingTo = null;
            Filled(order, oldLeg.ExecutedQty, oldLeg.CumQuote, OrderStatus.PartiallyFilled, oldLeg.Time, $"{order.VenueId}/z{BinanceSymbolRules.Text(oldLeg.ExecutedQty)}", 0, "", null, null);
            order.Fold(oldLeg.ExecutedQty, oldLeg.CumQuote);
            if (newId is null)
            {
                Ended(order, OrderStatus.Canceled, oldLeg.Time, $"{order.VenueId}/replace-cancelled", text);
                return;
            }
            order.VenueId = newId;
            order.Order = order.Order with { Quantity = replace.Quantity, LimitPrice = replace.LimitPrice ?? order.Order.LimitPrice };
            Report(new ExecutionReport($"{newId}/replaced", order.Order.OrderId, order.Order.Instrument, Stamp(oldLeg.Time), ExecType.Replaced,
                order.ReportedCum > 0 ? OrderStatus.PartiallyFilled : OrderStatus.New, order.Order.Side, 0, 0, (double)order.ReportedCum, (double)quantity, order.AvgPrice, 0, Venue, "", text));
        }
    }

    // A replace whose answer was lost: the old leg's state and whether the replacement exists say what happened.
    private async Task ReplaceUnknownAsync(TrackedOrder order, ReplaceOrder replace, string newId, decimal quantity, string why)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500), _stop.Token).ConfigureAwait(false);
        var oldLeg = await OrderStateAsync(order.Order.Instrument, order.VenueId).ConfigureAwait(false);
        if (oldLeg is { Status: "CANCELED" })
        {
            var replacement = await OrderStateAsync(order.Order.Instrument, newId).ConfigureAwait(false);
            Replaced(order, replace, oldLeg, replacement is null ? null : newId, quantity, replacement is null ? $"{why}: the order was cancelled and no replacement exists" : why);
            return;
        }
        lock (_gate) order.ReplacingTo = null;
        await QueryAsync(order, why).ConfigureAwait(false);
        CancelRefused(replace.ClOrdId, replace.OrigClOrdId, 99, order.Status, 2, $"{why}: the order was not replaced");
    }

    private async Task<BinanceOrderState?> OrderStateAsync(string symbol, string venueId)
    {
        try
        {
            var answer = await _rest.SignedAsync(HttpMethod.Get, "/api/v3/order", [("symbol", symbol), ("origClientOrderId", venueId)], _stop.Token).ConfigureAwait(false);
            return answer.Ok ? BinanceOrderMessages.ParseOrder(answer.Body) : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            return null;
        }
    }

    // After an unknown outcome: wait a moment (the venue may still be working on it), then ask.
    private async Task Unknown(TrackedOrder order, string why)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500), _stop.Token).ConfigureAwait(false);
        await QueryAsync(order, why).ConfigureAwait(false);
    }

    private async Task ReconcileAsync(string why)
    {
        List<TrackedOrder> open;
        lock (_gate) open = [.. _orders.Values.Where(o => !o.Terminal)];
        foreach (var order in open) await QueryAsync(order, $"reconciled after {why}").ConfigureAwait(false);
    }

    // Books what the venue's order query says happened (the source of truth after any doubt).
    private async Task QueryAsync(TrackedOrder order, string why)
    {
        BinanceRestAnswer answer;
        try
        {
            answer = await _rest.SignedAsync(HttpMethod.Get, "/api/v3/order", [("symbol", order.Order.Instrument), ("origClientOrderId", order.VenueId)], _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            Deliver(ev => ev.OnConnection(true, $"order {order.Order.OrderId}: querying Binance failed ({e.Message}); it stays working until the next reconciliation"));
            return;
        }
        if (answer.Ok)
        {
            if (why.Length > 0) Reconciled++;
            Apply(order, BinanceOrderMessages.ParseOrder(answer.Body), why);
            return;
        }
        var acknowledged = false;
        lock (_gate) acknowledged = order.Acknowledged;
        if (answer.Error.Code == -2013 && !acknowledged)
        {
            Rejected(order, $"{(why.Length > 0 ? why + "; " : "")}Binance has no such order ({answer.Describe()}): it was never placed");
            return;
        }
        if (answer.RateLimited) RefuseFor(answer);
        Deliver(ev => ev.OnConnection(true, $"order {order.Order.OrderId}: Binance's order query answered {answer.Describe()}; it stays working until the next reconciliation"));
    }

    private void Apply(TrackedOrder order, BinanceOrderState state, string why)
    {
        var status = BinanceOrderMessages.Status(state.Status);
        lock (_gate)
        {
            if (order.Terminal) return;
            Acknowledge(order, state.Time, $"{order.VenueId}/ack");
            Filled(order, state.ExecutedQty, state.CumQuote, status == OrderStatus.Filled ? status : OrderStatus.PartiallyFilled, state.Time,
                $"{order.VenueId}/z{BinanceSymbolRules.Text(state.ExecutedQty)}", 0, "", null, null, why);
            if (BinanceOrderMessages.IsTerminal(status) && status != OrderStatus.Filled) Ended(order, status, state.Time, $"{order.VenueId}/{state.Status}", why);
        }
    }

    // Under _gate. The first word that the venue has the order.
    private void Acknowledge(TrackedOrder order, long time, string execId)
    {
        if (order.Acknowledged || order.Terminal) return;
        order.Acknowledged = true;
        order.Status = OrderStatus.New;
        Report(new ExecutionReport(execId, order.Order.OrderId, order.Order.Instrument, Stamp(time), ExecType.New, OrderStatus.New, order.Order.Side,
            0, 0, 0, order.Order.Quantity, 0, 0, Venue, "", ""));
    }

    // Under _gate. Reports what the leg's cumulative quantity adds to what the lane was told, if anything.
    private void Filled(TrackedOrder order, decimal legCum, decimal legQuote, OrderStatus status, long time, string execId, double fee, string liquidity, decimal? lastQty, decimal? lastPrice, string text = "")
    {
        var cum = order.PriorCum + legCum;
        var quote = order.PriorQuote + legQuote;
        if (cum <= order.ReportedCum || order.Terminal) return;
        var qty = cum - order.ReportedCum;
        // One event's own price when it is all that is new; otherwise the average of what was missed.
        var price = lastQty == qty && lastPrice is { } p ? p : (quote - order.ReportedQuote) / qty;
        (order.ReportedCum, order.ReportedQuote) = (cum, quote);
        order.Status = status;
        Report(new ExecutionReport(execId, order.Order.OrderId, order.Order.Instrument, Stamp(time), ExecType.Trade, status, order.Order.Side,
            (double)qty, (double)price, (double)cum, status == OrderStatus.Filled ? 0 : Math.Max(0, order.Order.Quantity - (double)cum), order.AvgPrice, fee, Venue, liquidity, text));
    }

    // Under _gate.
    private void Ended(TrackedOrder order, OrderStatus status, long time, string execId, string text)
    {
        if (order.Terminal) return;
        order.Status = status;
        var type = status switch
        {
            OrderStatus.Canceled => ExecType.Canceled,
            OrderStatus.Rejected => ExecType.Rejected,
            _ => ExecType.Expired,
        };
        Report(new ExecutionReport(execId, order.Order.OrderId, order.Order.Instrument, Stamp(time), type, status, order.Order.Side,
            0, 0, (double)order.ReportedCum, 0, order.AvgPrice, 0, Venue, "", text));
    }

    private void Rejected(TrackedOrder order, string text)
    {
        lock (_gate) Ended(order, OrderStatus.Rejected, _rest.VenueNowMs * 1_000_000, $"{order.VenueId}/rejected", text);
    }

    // Under _gate: delivered in order with every other event.
    private void Report(ExecutionReport report)
    {
        Events.OnReport(report);
        _changed.Release();
    }

    private void CancelRefused(string clOrdId, string origClOrdId, int reason, OrderStatus status, int responseTo, string text)
    {
        lock (_gate) Events.OnCancelRejected(new OrderCancelRejected(clOrdId, origClOrdId, "NONE", status, responseTo, reason, text));
    }

    private void Deliver(Action<IExecutionEvents> apply)
    {
        lock (_gate) apply(Events);
    }

    private async Task<BinanceSymbolRules?> RulesAsync(string symbol)
    {
        lock (_gate)
        {
            if (_rules.TryGetValue(symbol, out var known)) return known;
        }
        try
        {
            var answer = await _rest.GetAsync($"/api/v3/exchangeInfo?symbol={Uri.EscapeDataString(symbol)}", _stop.Token).ConfigureAwait(false);
            if (!answer.Ok)
            {
                if (answer.RateLimited) RefuseFor(answer);
                Deliver(e => e.OnConnection(true, $"exchangeInfo for {symbol}: {answer.Describe()}"));
                return null;
            }
            var rules = BinanceSymbolRules.Parse(answer.Body, symbol);
            lock (_gate) _rules[symbol] = rules;
            return rules;
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or TaskCanceledException && !_stop.IsCancellationRequested)
        {
            Deliver(ev => ev.OnConnection(true, $"exchangeInfo for {symbol}: {e.Message}"));
            return null;
        }
    }

    private string? Refusing() => Environment.TickCount64 < Interlocked.Read(ref _refuseUntil) ? _refusal : null;

    private void RefuseFor(BinanceRestAnswer answer)
    {
        var wait = answer.RetryAfter ?? TimeSpan.FromSeconds(1);
        _refusal = $"Binance answered {answer.Describe()} and asked for {wait.TotalSeconds:0.#} s without requests (Retry-After): the order was not sent";
        Interlocked.Exchange(ref _refuseUntil, Environment.TickCount64 + (long)wait.TotalMilliseconds);
    }

    private double Fee(TrackedOrder order, BinanceOrderUpdate update)
    {
        // The lane books fees in the quote currency: a commission in the base asset is valued at the fill's price; one in
        // a third asset (BNB) cannot be valued here and is named in the report's text instead.
        var rules = _rules.GetValueOrDefault(order.Order.Instrument);
        if (update.Commission == 0 || rules is null) return 0;
        if (update.CommissionAsset == rules.QuoteAsset) return (double)update.Commission;
        if (update.CommissionAsset == rules.BaseAsset) return (double)(update.Commission * update.LastPrice);
        return 0;
    }

    private static List<(string, string)> OrderParameters(Order order, decimal quantity, decimal? price, string venueId)
    {
        var type = order.Type switch
        {
            OrderType.Market => "MARKET",
            OrderType.Limit when order.TimeInForce == TimeInForce.PostOnly => "LIMIT_MAKER",
            OrderType.Limit => "LIMIT",
            OrderType.Stop => "STOP_LOSS",
            _ => "STOP_LOSS_LIMIT",
        };
        List<(string, string)> parameters =
        [
            ("symbol", order.Instrument), ("side", order.Side == Side.Buy ? "BUY" : "SELL"), ("type", type), ("quantity", BinanceSymbolRules.Text(quantity)), ("newClientOrderId", venueId),
        ];
        if (type is "LIMIT" or "STOP_LOSS_LIMIT")
        {
            // Binance has no day order: a day order rests until the lane cancels it (it does at stand-down and close).
            parameters.Add(("timeInForce", order.TimeInForce switch { TimeInForce.Ioc => "IOC", TimeInForce.Fok => "FOK", _ => "GTC" }));
        }
        if (price is { } p && type is "LIMIT" or "LIMIT_MAKER" or "STOP_LOSS_LIMIT") parameters.Add(("price", BinanceSymbolRules.Text(p)));
        if (order.StopPrice is { } stop && type is "STOP_LOSS" or "STOP_LOSS_LIMIT") parameters.Add(("stopPrice", stop.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return parameters;
    }

    private static long AckTime(BinanceRestAnswer answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            return BinanceJson.Millis(document.RootElement, "transactTime");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        }
    }

    /// <summary>
    /// The id an order goes to Binance under: the lane's own when Binance accepts it (1–36 of <c>A-Za-z0-9.:/_-</c>),
    /// else a stable hash of it — stable, so a restarted session finds its orders again.
    /// </summary>
    public static string VenueId(string laneId) =>
        ClientOrderIdPattern().IsMatch(laneId) ? laneId : "x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(laneId)))[..32];

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientOrderIdPattern();

    private long Stamp(long venueTime) => _clock?.Invoke() ?? venueTime;

    private IExecutionEvents Events => _events ?? throw new InvalidOperationException("the Binance venue client was not started");

    private sealed class TrackedOrder(Order order, string venueId)
    {
        public Order Order { get; set; } = order;

        public string VenueId { get; set; } = venueId;

        public bool Acknowledged { get; set; }

        // The replacement's venue id while a cancel-replace is in flight.
        public string? ReplacingTo { get; set; }

        public bool Terminal => BinanceOrderMessages.IsTerminal(Status);

        public OrderStatus Status { get; set; } = OrderStatus.PendingNew;

        // What the lane has been told, over all legs.
        public decimal ReportedCum { get; set; }

        public decimal ReportedQuote { get; set; }

        // Legs replaced away (cancelReplace makes a new order each time).
        public decimal PriorCum { get; private set; }

        public decimal PriorQuote { get; private set; }

        public double AvgPrice => ReportedCum > 0 ? (double)(ReportedQuote / ReportedCum) : 0;

        public void Fold(decimal legCum, decimal legQuote) => (PriorCum, PriorQuote) = (PriorCum + legCum, PriorQuote + legQuote);
    }
}
