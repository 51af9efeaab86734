using System.Globalization;
using System.Text.Json;

namespace CroweLogic.Flow.Gateways.MarketData.Binance;

/// <summary>
/// Reading Binance's JSON as the venue writes it: integers for ids and millisecond times, decimal strings for prices
/// and quantities. Every miss is a <see cref="FormatException"/> naming the field, so a malformed message is reported,
/// never half-read.
/// </summary>
internal static class BinanceJson
{
    public static JsonElement Field(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : throw new FormatException($"field '{name}' is missing");

    public static string Text(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.String } v ? v.GetString()! : throw new FormatException($"field '{name}' is not a string");

    public static string OptionalText(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    public static long Long(JsonElement element, string name) =>
        Field(element, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var n) ? n : throw new FormatException($"field '{name}' is not an integer");

    public static long Millis(JsonElement element, string name) => checked(Long(element, name) * 1_000_000);

    public static decimal Decimal(JsonElement element, string name) => Number(Field(element, name), name);

    public static decimal Number(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"'{name}' is not a decimal string: {value.GetRawText()}");

    /// <summary>Parses <paramref name="json"/>, turning a JSON syntax error into a <see cref="FormatException"/> about <paramref name="what"/>.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string what)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"malformed JSON in {what}: {e.Message}");
        }
    }
}
