using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow.Flight;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// A read the service answers. Descriptors and tickets carry the same text: a path (<c>["trades"]</c>), a JSON dataset
/// request (<c>{"dataset": "bars_1d", "symbols": ["AAPL"], "from": "2020-01-01", "to": "2020-12-31"}</c>), a JSON SQL
/// request (<c>{"sql": "SELECT …"}</c>), or bare SQL text, so generic Flight clients can send a query as the ticket.
/// </summary>
public abstract record FlightReadRequest
{
    /// <summary>The canonical JSON that <see cref="Parse"/> reads back (the ticket the service hands out).</summary>
    public abstract string ToJson();

    /// <summary>Reads a descriptor.</summary>
    /// <exception cref="FlightRequestException">The descriptor is malformed; the message says how.</exception>
    public static FlightReadRequest FromDescriptor(FlightDescriptor descriptor)
    {
        if (descriptor.Type == FlightDescriptorType.Path)
        {
            var path = descriptor.Paths.ToList();
            if (path.Count != 1 || string.IsNullOrWhiteSpace(path[0]))
                throw new FlightRequestException($"a path descriptor names one dataset, got [{string.Join(", ", path)}]");
            return new DatasetRequest(path[0]);
        }
        return Parse(descriptor.Command.Span);
    }

    /// <summary>Reads a command or ticket.</summary>
    /// <exception cref="FlightRequestException">The text is malformed; the message says how.</exception>
    public static FlightReadRequest Parse(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(utf8).Trim();
        }
        catch (DecoderFallbackException)
        {
            throw new FlightRequestException("the ticket or command is not UTF-8 text");
        }
        if (text.Length == 0) throw new FlightRequestException("the ticket or command is empty; send a dataset request or SQL");
        if (text[0] != '{') return new SqlRequest(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FlightRequestException($"the request is not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("sql", out var sql))
            {
                foreach (var p in root.EnumerateObject())
                {
                    if (p.Name != "sql") throw new FlightRequestException($"unknown key '{p.Name}' in an SQL request (only 'sql' is allowed)");
                }
                if (sql.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(sql.GetString())) throw new FlightRequestException("'sql' must be a non-empty string");
                return new SqlRequest(sql.GetString()!.Trim());
            }
            return DatasetRequest.Read(root);
        }
    }
}

/// <summary>Ad-hoc SQL, run read-only within the service's row, byte and time budget.</summary>
/// <param name="Sql">One SELECT (or WITH … SELECT) statement.</param>
public sealed record SqlRequest(string Sql) : FlightReadRequest
{
    /// <inheritdoc />
    public override string ToJson() => JsonSerializer.Serialize(new Dictionary<string, string> { ["sql"] = Sql });
}

/// <summary>A store table, optionally narrowed to symbols, a time range, columns and a row limit.</summary>
/// <param name="Dataset">Table name.</param>
/// <param name="Symbols">Only these symbols (instruments).</param>
/// <param name="From">Inclusive start.</param>
/// <param name="To">Exclusive end (a date-only value means the end of that day).</param>
/// <param name="Columns">Only these columns, in this order.</param>
/// <param name="Limit">At most this many rows.</param>
public sealed record DatasetRequest(
    string Dataset, IReadOnlyList<string>? Symbols = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    IReadOnlyList<string>? Columns = null, long? Limit = null) : FlightReadRequest
{
    private static readonly string[] Keys = ["dataset", "symbols", "from", "to", "columns", "limit"];

    /// <summary>True when the request reads the whole table.</summary>
    public bool IsWholeTable => Symbols is null && From is null && To is null && Columns is null && Limit is null;

    /// <inheritdoc />
    public override string ToJson()
    {
        var body = new Dictionary<string, object> { ["dataset"] = Dataset };
        if (Symbols is not null) body["symbols"] = Symbols;
        if (From is { } from) body["from"] = from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        if (To is { } to) body["to"] = to.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        if (Columns is not null) body["columns"] = Columns;
        if (Limit is { } limit) body["limit"] = limit;
        return JsonSerializer.Serialize(body);
    }

    internal static DatasetRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FlightRequestException("the request must be a JSON object");
        string? dataset = null;
        List<string>? symbols = null, columns = null;
        DateTimeOffset? from = null, to = null;
        long? limit = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "dataset":
                    if (p.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(p.Value.GetString())) throw new FlightRequestException("'dataset' must be a non-empty string");
                    dataset = p.Value.GetString();
                    break;
                case "symbols":
                    symbols = Strings(p, allowEmpty: false);
                    break;
                case "columns":
                    columns = Strings(p, allowEmpty: false);
                    break;
                case "from":
                    from = Time(p, endOfDay: false);
                    break;
                case "to":
                    to = Time(p, endOfDay: true);
                    break;
                case "limit":
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out var n) || n < 0) throw new FlightRequestException("'limit' must be a non-negative integer");
                    limit = n;
                    break;
                default:
                    throw new FlightRequestException($"unknown key '{p.Name}' in a dataset request (expected {string.Join(", ", Keys)}, or 'sql' alone)");
            }
        }
        if (dataset is null) throw new FlightRequestException("a JSON request needs 'dataset' (or 'sql')");
        if (from is { } f && to is { } t && t <= f) throw new FlightRequestException($"'to' ({t:O}) must be after 'from' ({f:O})");
        return new DatasetRequest(dataset, symbols, from, to, columns, limit);
    }

    private static List<string> Strings(JsonProperty p, bool allowEmpty)
    {
        if (p.Value.ValueKind != JsonValueKind.Array) throw new FlightRequestException($"'{p.Name}' must be an array of strings");
        var values = new List<string>();
        foreach (var item in p.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())) throw new FlightRequestException($"'{p.Name}' must be an array of non-empty strings");
            values.Add(item.GetString()!);
        }
        if (!allowEmpty && values.Count == 0) throw new FlightRequestException($"'{p.Name}' must not be empty (leave it out for all)");
        return values;
    }

    private static DateTimeOffset Time(JsonProperty p, bool endOfDay)
    {
        var text = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new FlightRequestException($"'{p.Name}' must be an ISO-8601 date or UTC timestamp string");
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)) return instant;
        throw new FlightRequestException($"'{p.Name}' value '{text}' is not an ISO-8601 date (2020-01-31) or timestamp (2020-01-31T14:30:00Z)");
    }
}
