using System.Globalization;
using System.Text.Json;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>
/// One symbol's trading rules from <c>GET /api/v3/exchangeInfo</c>: its status, assets, and the PRICE_FILTER,
/// LOT_SIZE and NOTIONAL (or older MIN_NOTIONAL) filters. Orders are put on the venue's grid before they go — quantity
/// down to the step, a buy's limit down and a sell's up to the tick, so rounding never makes an order more aggressive
/// or larger — and what would still break a filter is refused here with the filter's name instead of costing a request.
/// </summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="Status">TRADING, HALT, BREAK, …</param>
/// <param name="BaseAsset">What is bought and sold.</param>
/// <param name="QuoteAsset">What it is priced in.</param>
/// <param name="TickSize">Price grid (0: none).</param>
/// <param name="StepSize">Quantity grid (0: none).</param>
/// <param name="MinQty">Smallest quantity.</param>
/// <param name="MaxQty">Largest quantity (0: none).</param>
/// <param name="MinNotional">Smallest price × quantity (0: none).</param>
public sealed record BinanceSymbolRules(string Symbol, string Status, string BaseAsset, string QuoteAsset, decimal TickSize, decimal StepSize, decimal MinQty, decimal MaxQty, decimal MinNotional)
{
    /// <summary>The rules of <paramref name="symbol"/> in an exchangeInfo answer.</summary>
    /// <exception cref="FormatException">The answer is not exchangeInfo, or does not list the symbol.</exception>
    public static BinanceSymbolRules Parse(ReadOnlyMemory<byte> json, string symbol)
    {
        using var document = BinanceJson.Parse(json, "exchangeInfo");
        var symbols = BinanceJson.Field(document.RootElement, "symbols");
        if (symbols.ValueKind != JsonValueKind.Array) throw new FormatException("exchangeInfo: 'symbols' is not an array");
        foreach (var entry in symbols.EnumerateArray())
        {
            if (BinanceJson.Text(entry, "symbol") != symbol) continue;
            decimal tick = 0, step = 0, minQty = 0, maxQty = 0, minNotional = 0;
            foreach (var filter in BinanceJson.Field(entry, "filters").EnumerateArray())
            {
                switch (BinanceJson.Text(filter, "filterType"))
                {
                    case "PRICE_FILTER":
                        tick = BinanceJson.Decimal(filter, "tickSize");
                        break;
                    case "LOT_SIZE":
                        (step, minQty, maxQty) = (BinanceJson.Decimal(filter, "stepSize"), BinanceJson.Decimal(filter, "minQty"), BinanceJson.Decimal(filter, "maxQty"));
                        break;
                    case "NOTIONAL" or "MIN_NOTIONAL":
                        minNotional = BinanceJson.Decimal(filter, "minNotional");
                        break;
                }
            }
            return new BinanceSymbolRules(symbol, BinanceJson.Text(entry, "status"), BinanceJson.Text(entry, "baseAsset"), BinanceJson.Text(entry, "quoteAsset"), tick, step, minQty, maxQty, minNotional);
        }
        throw new FormatException($"exchangeInfo does not list {symbol}");
    }

    /// <summary>The quantity on the step grid, rounded down.</summary>
    public decimal Quantity(double quantity) => Floor((decimal)quantity, StepSize);

    /// <summary>A limit price on the tick grid, rounded away from the market (a buy down, a sell up).</summary>
    public decimal Price(double price, Side side) => side == Side.Buy ? Floor((decimal)price, TickSize) : Ceiling((decimal)price, TickSize);

    /// <summary>Why an order of <paramref name="quantity"/> at <paramref name="price"/> (null: market) cannot go, or null when it can.</summary>
    public string? Refusal(decimal quantity, decimal? price)
    {
        if (Status != "TRADING") return $"{Symbol} is not trading at Binance (status {Status})";
        if (quantity <= 0 || quantity < MinQty) return $"{Symbol}: quantity {Text(quantity)} is below LOT_SIZE minQty {Text(MinQty)} (after rounding down to stepSize {Text(StepSize)})";
        if (MaxQty > 0 && quantity > MaxQty) return $"{Symbol}: quantity {Text(quantity)} is above LOT_SIZE maxQty {Text(MaxQty)}";
        if (price is { } p && MinNotional > 0 && p * quantity < MinNotional) return $"{Symbol}: notional {Text(p * quantity)} is below the NOTIONAL filter's minNotional {Text(MinNotional)}";
        return null;
    }

    /// <summary>A decimal as Binance takes it: plain digits, no exponent, no trailing zeros.</summary>
    public static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static decimal Floor(decimal value, decimal grid) => grid <= 0 ? value : Math.Floor(value / grid) * grid;

    private static decimal Ceiling(decimal value, decimal grid) => grid <= 0 ? value : Math.Ceiling(value / grid) * grid;
}
