using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>
/// The one byte encoding of registry records that hashes and signatures cover: JSON with snake_case names, object keys
/// in ordinal order at every depth, no insignificant whitespace, numbers in shortest round-trip form (NaN and infinities
/// as the strings "NaN", "Infinity", "-Infinity") and only the characters JSON requires escaped. Two equal records
/// always encode to the same bytes, whatever order their dictionaries were filled in.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Options for reading and writing registry records.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The canonical bytes of a record.</summary>
    public static byte[] Encode<T>(T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, Indented = false }))
        {
            Write(writer, node);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a record written by <see cref="Encode{T}"/> (or any JSON of the same shape).</summary>
    /// <exception cref="JsonException">The text is not that record: the message names the path.</exception>
    public static T Decode<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"the JSON is null, not a {typeof(T).Name}");

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
