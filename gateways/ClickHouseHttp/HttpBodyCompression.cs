using System.IO.Compression;
using ZstdSharp;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>The HTTP compressions ClickHouse speaks for request and response bodies: gzip, deflate, br and zstd.</summary>
internal static class HttpBodyCompression
{
    /// <summary>The encodings offered to clients, in the server's order of preference.</summary>
    public static readonly string[] Supported = ["zstd", "gzip", "br", "deflate"];

    /// <summary>The request body, decompressed as its Content-Encoding says.</summary>
    /// <exception cref="ClickHouseHttpException">An encoding this interface does not speak.</exception>
    public static Stream Decoding(Stream body, string? encoding) => encoding?.Trim().ToLowerInvariant() switch
    {
        null or "" or "identity" => body,
        "gzip" or "x-gzip" => new GZipStream(body, CompressionMode.Decompress, leaveOpen: true),
        "deflate" => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
        "br" => new BrotliStream(body, CompressionMode.Decompress, leaveOpen: true),
        "zstd" => new DecompressionStream(body, leaveOpen: true),
        var other => throw new ClickHouseHttpException(ClickHouseErrors.UnknownFormat, $"Unknown HTTP Content-Encoding '{other}': this server reads gzip, deflate, br and zstd"),
    };

    /// <summary>The encoding to answer with: the first of the client's Accept-Encoding (by q-value) this server speaks, or null.</summary>
    public static string? Choose(string? acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding)) return null;
        var offers = acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((part, order) =>
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var p in pieces.Skip(1))
                if (p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)) _ = double.TryParse(p[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out q);
            return (Name: pieces[0].ToLowerInvariant(), Q: q, Order: order);
        }).Where(o => o.Q > 0 && Supported.Contains(o.Name)).OrderByDescending(o => o.Q).ThenBy(o => o.Order);
        return offers.Select(o => o.Name).FirstOrDefault();
    }

    /// <summary>A stream compressing into <paramref name="body"/> with <paramref name="encoding"/>.</summary>
    public static Stream Encoding(Stream body, string encoding) => encoding switch
    {
        "gzip" => new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true),
        "deflate" => new ZLibStream(body, CompressionLevel.Fastest, leaveOpen: true),
        "br" => new BrotliStream(body, CompressionLevel.Fastest, leaveOpen: true),
        _ => new CompressionStream(body, level: 3, leaveOpen: true),
    };
}
