using System.Collections.Frozen;
using System.Text;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>
/// Maps enum values to and from stable snake_case names (PartiallyFilled ⇄ "partially_filled"),
/// the form they take in Arrow columns, ClickHouse tables and policy files.
/// </summary>
public static class EnumText<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> ToName =
        Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => Snake(v.ToString()));

    private static readonly FrozenDictionary<string, TEnum> FromName =
        ToName.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>The snake_case name of a value.</summary>
    public static string Name(TEnum value) =>
        ToName.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(TEnum).Name}");

    /// <summary>Parses a snake_case (or PascalCase) name; unknown names are an error naming the allowed ones.</summary>
    public static TEnum Parse(string text)
    {
        if (FromName.TryGetValue(text, out var value) || FromName.TryGetValue(Snake(text), out value)) return value;
        throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}; expected one of: {string.Join(", ", ToName.Values)}");
    }

    /// <summary>All names, in declaration order.</summary>
    public static IReadOnlyList<string> Names => [.. Enum.GetValues<TEnum>().Select(Name)];

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
