using System.Globalization;
using System.Text;

namespace CroweLogic.Flow.Storage;

/// <summary>Helpers for building ClickHouse SQL text safely.</summary>
public static class Sql
{
    /// <summary>A single-quoted string literal with backslash and quote escaped.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('\'').ToString();
    }

    /// <summary>A back-quoted identifier.</summary>
    public static string Identifier(string name) => "`" + name.Replace("\\", "\\\\").Replace("`", "\\`") + "`";

    /// <summary>A number literal in invariant culture.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A DateTime64(9, 'UTC') literal from nanoseconds.</summary>
    public static string Nanos(long value) => $"fromUnixTimestamp64Nano({value.ToString(CultureInfo.InvariantCulture)}, 'UTC')";
}
