using System.Net;
using CroweLogic.Flow.Contracts.Time;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Venue;

/// <summary>How a standalone simulated venue listens.</summary>
/// <param name="Port">TCP port (0: any free one).</param>
public sealed record SimulatedVenueOptions(int Port)
{
    /// <summary>Venue name and its CompID (49 on what it sends).</summary>
    public string Venue { get; init; } = "SIM";

    /// <summary>Address to listen on.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>CompIDs of the order-entry sessions it accepts (their messages are kept and resent after a reconnect).</summary>
    public IReadOnlyList<string> OrderSessions { get; init; } = ["FLOW"];

    /// <summary>CompIDs of the market-data sessions it accepts (not kept: a reconnecting subscriber gets a fresh snapshot).</summary>
    public IReadOnlyList<string> FeedSessions { get; init; } = ["FLOW-MD"];

    /// <summary>Taker fee of every listing, bps.</summary>
    public double TakerFeeBps { get; init; } = 0.3;

    /// <summary>Session log.</summary>
    public IFixLog? Log { get; init; }
}

/// <summary>
/// The simulated exchange as a FIX venue of its own (<c>flow sim-exchange</c>): order entry and market data on one
/// acceptor, the book holding the market it is fed — a replay of recorded quotes and trades or a synthetic flow —
/// at wall-clock time, so paper trading over a real protocol needs nothing outside this machine. Recorded quotes rest
/// as the market's orders at the touch; recorded prints are published as trades and trade against client orders they
/// reach; client orders cross the book and each other like on any price-time exchange.
/// </summary>
public sealed class SimulatedFixVenue : IAsyncDisposable
{
    private readonly SimulatedVenueOptions _options;
    private readonly SimulatedExchangeFixApplication _app;
    private readonly SimulatedMarket _market;
    private readonly FixAcceptor _acceptor;
    private long _quotes;
    private long _trades;

    /// <summary>A venue listening on <paramref name="options"/>' port once started.</summary>
    public SimulatedFixVenue(SimulatedVenueOptions options)
    {
        _options = options;
        _app = new SimulatedExchangeFixApplication([], options.Venue);
        _market = new SimulatedMarket(_app.Exchange, options.TakerFeeBps) { MirrorAlways = true };
        _app.Market = _market;
        _acceptor = new FixAcceptor(options.Log);
        foreach (var client in options.OrderSessions)
            _acceptor.AddSession(new FixSessionSettings(options.Venue, client) { TimestampPrecision = 9 }, new MemoryFixMessageStore(), _app);
        foreach (var client in options.FeedSessions)
            _acceptor.AddSession(new FixSessionSettings(options.Venue, client) { TimestampPrecision = 9, PersistMessages = false }, new MemoryFixMessageStore(), _app);
    }

    /// <summary>Where it listens (after <see cref="Start"/>).</summary>
    public IPEndPoint? Endpoint => _acceptor.Endpoint;

    /// <summary>Recorded or synthetic quotes taken.</summary>
    public long Quotes => Interlocked.Read(ref _quotes);

    /// <summary>Recorded or synthetic trades published.</summary>
    public long Trades => Interlocked.Read(ref _trades);

    /// <summary>Application messages published to sessions (reports and market data).</summary>
    public long Published => _app.Published;

    /// <summary>Sessions logged on now.</summary>
    public int LoggedOn => _acceptor.Sessions.Count(s => s.State == FixSessionState.LoggedOn);

    /// <summary>Client orders resting in the books now.</summary>
    public int RestingClientOrders
    {
        get
        {
            var count = 0;
            _app.Run(_ => count = _market.Resting.Count());
            return count;
        }
    }

    /// <summary>Order states the exchange holds and background order ids the market tracks (bounded by what rests, not by the flow so far).</summary>
    public (int Orders, int Background) Held
    {
        get
        {
            var held = (0, 0);
            _app.Run(exchange => held = (exchange.OrdersHeld, _market.BackgroundTracked));
            return held;
        }
    }

    /// <summary>The venue's own book of <paramref name="symbol"/> in the units its market data carries: the reference a subscriber's rebuilt book must equal.</summary>
    public MarketData.L2Book Book(string symbol)
    {
        var book = new MarketData.L2Book(symbol);
        _app.Run(exchange =>
        {
            var (tick, lot) = (exchange.TickSize(symbol), exchange.LotSize(symbol));
            foreach (var (side, bookSide) in new[] { (Contracts.Events.Side.Buy, Contracts.Events.BookSide.Bid), (Contracts.Events.Side.Sell, Contracts.Events.BookSide.Ask) })
                foreach (var (price, size, _) in exchange.Book(symbol).Depth(side, int.MaxValue))
                    book.Set(bookSide, (decimal)Math.Round(price * tick, 10), (decimal)(size * lot));
        });
        return book;
    }

    /// <summary>Starts listening.</summary>
    public IPEndPoint Start() => _acceptor.Start(_options.Bind, _options.Port);

    /// <summary>Lists instruments before their first quote, so they can be subscribed to at once.</summary>
    public void List(IEnumerable<string> symbols)
    {
        var now = Now;
        _app.Run(_ => { foreach (var symbol in symbols) _market.List(symbol, now); });
    }

    /// <summary>A quote of the market it is fed, now (a non-positive side leaves that side as it was).</summary>
    public void Quote(string symbol, double bid, double bidSize, double ask, double askSize) => Feed([MarketEvent.Quote(symbol, bid, bidSize, ask, askSize)]);

    /// <summary>A print of the market it is fed, now: published as a trade, and traded against client orders it reaches.</summary>
    public void Trade(string symbol, double price, double size) => Feed([MarketEvent.Trade(symbol, price, size)]);

    /// <summary>
    /// Events of the market it is fed, all now, in one step of the exchange: subscribers get the step's changes and
    /// prints in one incremental refresh.
    /// </summary>
    public void Feed(ReadOnlySpan<MarketEvent> events)
    {
        var now = Now;
        long quotes = 0, trades = 0;
        var copy = events.ToArray();
        _app.Run(exchange =>
        {
            exchange.AdvanceTo(now);
            foreach (var e in copy)
            {
                if (e.IsTrade)
                {
                    if (!(e.Price > 0) || !(e.Size > 0)) continue;
                    _market.Trade(e.Symbol, now, e.Price, e.Size);
                    _app.PublishTrade(e.Symbol, e.Price, e.Size);
                    trades++;
                }
                else
                {
                    _market.Quote(e.Symbol, now, e.Bid, e.BidSize, e.Ask, e.AskSize);
                    quotes++;
                }
            }
        });
        Interlocked.Add(ref _quotes, quotes);
        Interlocked.Add(ref _trades, trades);
    }

    /// <summary>Stops listening (sessions are logged out) and drains the outbox.</summary>
    public async ValueTask DisposeAsync()
    {
        await _acceptor.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static long Now => Nanos.FromDateTimeOffset(DateTimeOffset.UtcNow);
}

/// <summary>One event of the market a simulated venue is fed: a quote (bid and ask sides) or a trade (price and size).</summary>
/// <param name="IsTrade">A trade, not a quote.</param>
/// <param name="Symbol">Instrument.</param>
/// <param name="Price">Trade price.</param>
/// <param name="Size">Trade size.</param>
/// <param name="Bid">Bid (non-positive: unchanged).</param>
/// <param name="BidSize">Bid size.</param>
/// <param name="Ask">Ask (non-positive: unchanged).</param>
/// <param name="AskSize">Ask size.</param>
public readonly record struct MarketEvent(bool IsTrade, string Symbol, double Price, double Size, double Bid, double BidSize, double Ask, double AskSize)
{
    /// <summary>A quote.</summary>
    public static MarketEvent Quote(string symbol, double bid, double bidSize, double ask, double askSize) => new(false, symbol, 0, 0, bid, bidSize, ask, askSize);

    /// <summary>A trade.</summary>
    public static MarketEvent Trade(string symbol, double price, double size) => new(true, symbol, price, size, 0, 0, 0, 0);
}
