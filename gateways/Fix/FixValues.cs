using System.Buffers.Text;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>FIX value formats: UTCTimestamp, Price/Qty (decimal without exponent), and ASCII comparisons, on spans.</summary>
public static class FixValues
{
    /// <summary>Parses a decimal number with optional sign and fraction, no exponent (FIX float types).</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        if (text.Length == 0) return false;
        foreach (var c in text) if (c is (byte)'e' or (byte)'E') return false;
        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length;
    }

    /// <summary>Parses YYYYMMDD-HH:MM:SS[.sss[sss[sss]]] (UTC) into ns since the epoch.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> t, out long nanos)
    {
        nanos = 0;
        if (t.Length < 17 || t[8] != (byte)'-' || t[11] != (byte)':' || t[14] != (byte)':') return false;
        if (!Digits(t[..4], out var year) || !Digits(t[4..6], out var month) || !Digits(t[6..8], out var day)
            || !Digits(t[9..11], out var hour) || !Digits(t[12..14], out var minute) || !Digits(t[15..17], out var second)) return false;
        long fractionNanos = 0;
        if (t.Length > 17)
        {
            var fraction = t[18..];
            if (t[17] != (byte)'.' || fraction.Length is not (3 or 6 or 9) || !Digits(fraction, out var f)) return false;
            fractionNanos = f * (fraction.Length == 3 ? 1_000_000L : fraction.Length == 6 ? 1_000L : 1L);
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), Math.Clamp(month, 1, 12)) || hour > 23 || minute > 59 || second > 60) return false;
        var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
        nanos = (date.Ticks - DateTime.UnixEpoch.Ticks) * 100 + ((hour * 60L + minute) * 60 + second) * 1_000_000_000L + fractionNanos;
        return true;
    }

    /// <summary>Writes YYYYMMDD-HH:MM:SS.sss (millisecond precision, the FIX 4.4 maximum) into 21 bytes.</summary>
    public static int FormatTimestamp(long nanos, Span<byte> destination)
    {
        var time = Nanos.ToDateTimeOffset(nanos).UtcDateTime;
        Write(destination[..4], time.Year);
        Write(destination[4..6], time.Month);
        Write(destination[6..8], time.Day);
        destination[8] = (byte)'-';
        Write(destination[9..11], time.Hour);
        destination[11] = (byte)':';
        Write(destination[12..14], time.Minute);
        destination[14] = (byte)':';
        Write(destination[15..17], time.Second);
        destination[17] = (byte)'.';
        Write(destination[18..21], time.Millisecond);
        return 21;
    }

    /// <summary>Byte-wise equality with ASCII text.</summary>
    public static bool EqualsAscii(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length) return false;
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] != text[i]) return false;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> t, out int value)
    {
        value = 0;
        foreach (var c in t)
        {
            if (c < (byte)'0' || c > (byte)'9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private static void Write(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}
