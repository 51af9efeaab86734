using System.Globalization;
using System.Text.Json;

namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>A trade event (<c>&lt;symbol&gt;@trade</c>).</summary>
/// <param name="Symbol">Instrument.</param>
/// <param name="TradeTime">Trade time (T), ns since the epoch.</param>
/// <param name="TradeId">t.</param>
/// <param name="Price">p.</param>
/// <param name="Quantity">q.</param>
public sealed record BinanceTrade(string Symbol, long TradeTime, long TradeId, decimal Price, decimal Quantity);

/// <summary>
/// Binance spot WebSocket and REST payloads as the venue documents them: combined-stream envelopes
/// (<c>{"stream":…,"data":…}</c>) of <c>depthUpdate</c> and <c>trade</c> events, subscription answers
/// (<c>{"result":null,"id":n}</c>), errors, and the REST depth snapshot. Prices and quantities are decimal strings.
/// Anything else is a <see cref="FormatException"/> naming what is wrong.
/// </summary>
public static class BinanceMessages
{
    /// <summary>One stream message: a <see cref="BinanceDepthUpdate"/>, a <see cref="BinanceTrade"/>, or null for a subscription answer.</summary>
    /// <exception cref="FormatException">Not JSON, or not a message this client subscribes to.</exception>
    public static object? Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"malformed JSON from the stream: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"a stream message is a JSON object, got {root.ValueKind}");
            if (root.TryGetProperty("error", out var error)) throw new FormatException($"the venue answered with an error: {error.GetRawText()}");
            if (root.TryGetProperty("result", out _) && root.TryGetProperty("id", out _)) return null;
            var data = root.TryGetProperty("data", out var d) ? d : root;
            var kind = data.TryGetProperty("e", out var e) ? e.GetString() : null;
            return kind switch
            {
                "depthUpdate" => new BinanceDepthUpdate(BinanceJson.Text(data, "s"), BinanceJson.Millis(data, "E"), BinanceJson.Long(data, "U"), BinanceJson.Long(data, "u"), Levels(data, "b"), Levels(data, "a")),
                "trade" => new BinanceTrade(BinanceJson.Text(data, "s"), BinanceJson.Millis(data, "T"), BinanceJson.Long(data, "t"), BinanceJson.Decimal(data, "p"), BinanceJson.Decimal(data, "q")),
                _ => throw new FormatException($"unexpected stream event '{kind ?? "(no e field)"}'"),
            };
        }
    }

    /// <summary>The REST depth snapshot.</summary>
    /// <exception cref="FormatException">Not a depth snapshot.</exception>
    public static BinanceDepthSnapshot ParseSnapshot(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            return new BinanceDepthSnapshot(BinanceJson.Long(root, "lastUpdateId"), Levels(root, "bids"), Levels(root, "asks"));
        }
        catch (JsonException e)
        {
            throw new FormatException($"malformed depth snapshot: {e.Message}");
        }
    }

    private static List<(decimal, decimal)> Levels(JsonElement element, string name)
    {
        var levels = BinanceJson.Field(element, name);
        if (levels.ValueKind != JsonValueKind.Array) throw new FormatException($"field '{name}' is not an array of levels");
        var list = new List<(decimal, decimal)>(levels.GetArrayLength());
        foreach (var level in levels.EnumerateArray())
        {
            if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() < 2) throw new FormatException($"a level of '{name}' is not [price, quantity]: {level.GetRawText()}");
            var price = BinanceJson.Number(level[0], $"{name} price");
            var quantity = BinanceJson.Number(level[1], $"{name} quantity");
            if (price <= 0) throw new FormatException($"a level of '{name}' has a non-positive price: {level.GetRawText()}");
            list.Add((price, quantity));
        }
        return list;
    }
}
