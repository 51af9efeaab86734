namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>Checks a value against a FIX data type (INT, PRICE, CHAR, BOOLEAN, UTCTIMESTAMP, …).</summary>
public static class FixValueFormat
{
    /// <summary>Whether the value is well-formed for the type; unknown and free-text types accept anything non-empty.</summary>
    public static bool IsValid(string type, ReadOnlySpan<byte> value) => type switch
    {
        "INT" => IsInteger(value, allowSign: true),
        "LENGTH" or "SEQNUM" or "NUMINGROUP" or "DAYOFMONTH" => IsInteger(value, allowSign: false),
        "PRICE" or "QTY" or "AMT" or "FLOAT" or "PERCENTAGE" or "PRICEOFFSET" => FixValues.TryParseDecimal(value, out _),
        "CHAR" => value.Length == 1,
        "BOOLEAN" => value.Length == 1 && value[0] is (byte)'Y' or (byte)'N',
        "UTCTIMESTAMP" => FixValues.TryParseTimestamp(value, out _),
        "UTCTIMEONLY" => IsTimeOnly(value),
        "UTCDATEONLY" or "UTCDATE" or "LOCALMKTDATE" => value.Length == 8 && IsInteger(value, allowSign: false),
        _ => value.Length > 0,
    };

    private static bool IsInteger(ReadOnlySpan<byte> value, bool allowSign)
    {
        if (allowSign && value.Length > 1 && value[0] == (byte)'-') value = value[1..];
        if (value.Length == 0) return false;
        foreach (var c in value) if (c < (byte)'0' || c > (byte)'9') return false;
        return true;
    }

    private static bool IsTimeOnly(ReadOnlySpan<byte> value)
    {
        Span<byte> stamp = stackalloc byte[30];
        if (value.Length > 21) return false;
        "20000101-"u8.CopyTo(stamp);
        value.CopyTo(stamp[9..]);
        return FixValues.TryParseTimestamp(stamp[..(9 + value.Length)], out _);
    }
}
