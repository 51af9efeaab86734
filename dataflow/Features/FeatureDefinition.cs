using System.Globalization;

namespace CroweLogic.Flow.Dataflow.Features;

/// <summary>What a feature measures.</summary>
public enum FeatureKind
{
    /// <summary>(ask − bid) / mid in basis points.</summary>
    SpreadBps,

    /// <summary>(bid size − ask size) / (bid size + ask size), in [−1, 1].</summary>
    Imbalance,

    /// <summary>log(mid / mid N quotes ago).</summary>
    MidReturn,

    /// <summary>sqrt(Σ of the last N squared log mid returns): realised volatility over N quote updates.</summary>
    RealizedVol,

    /// <summary>Trades per second over the last N seconds.</summary>
    TradeIntensity,

    /// <summary>Mean traded value (close × volume) over the last N bars: the average daily dollar volume that sizes impact.</summary>
    DollarVolume,
}

/// <summary>
/// One feature: its kind and window, written as <c>spread_bps</c>, <c>imbalance</c>, <c>mid_return:20</c>, <c>realized_vol:50</c>,
/// <c>trade_intensity:60s</c>, <c>dollar_volume:20</c>. On bars the mid is the adjusted close and windows count bars.
/// </summary>
/// <param name="Kind">What it measures.</param>
/// <param name="Window">Quotes (returns, volatility) or seconds (intensity); 0 for instantaneous features.</param>
public sealed record FeatureDefinition(FeatureKind Kind, int Window)
{
    /// <summary>The feature's name in feature vectors (its spec text).</summary>
    public string Name => Kind switch
    {
        FeatureKind.SpreadBps => "spread_bps",
        FeatureKind.Imbalance => "imbalance",
        FeatureKind.MidReturn => $"mid_return:{Window}",
        FeatureKind.RealizedVol => $"realized_vol:{Window}",
        FeatureKind.DollarVolume => $"dollar_volume:{Window}",
        _ => $"trade_intensity:{Window}s",
    };

    /// <summary>Reads a spec such as <c>realized_vol:50</c>.</summary>
    /// <exception cref="ArgumentException">Unknown feature or a window that is missing, not a whole number, or outside 1–100 000.</exception>
    public static FeatureDefinition Parse(string spec)
    {
        var parts = spec.Trim().Split(':', 2);
        var (kind, needsWindow, unit) = parts[0] switch
        {
            "spread_bps" => (FeatureKind.SpreadBps, false, ""),
            "imbalance" => (FeatureKind.Imbalance, false, ""),
            "mid_return" => (FeatureKind.MidReturn, true, ""),
            "realized_vol" => (FeatureKind.RealizedVol, true, ""),
            "trade_intensity" => (FeatureKind.TradeIntensity, true, "s"),
            "dollar_volume" => (FeatureKind.DollarVolume, true, ""),
            _ => throw new ArgumentException($"unknown feature '{parts[0]}' (known: spread_bps, imbalance, mid_return:N, realized_vol:N, trade_intensity:Ns, dollar_volume:N)"),
        };
        if (!needsWindow)
        {
            return parts.Length == 1 ? new FeatureDefinition(kind, 0) : throw new ArgumentException($"feature '{parts[0]}' takes no window, got '{spec}'");
        }
        var text = parts.Length == 2 ? parts[1] : throw new ArgumentException($"feature '{parts[0]}' needs a window, e.g. {parts[0]}:20{unit}");
        if (unit.Length > 0)
        {
            if (!text.EndsWith(unit, StringComparison.Ordinal)) throw new ArgumentException($"feature '{parts[0]}' window is in seconds, e.g. {parts[0]}:60s");
            text = text[..^unit.Length];
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window < 1 || window > 100_000)
            throw new ArgumentException($"feature '{spec}' needs a whole-number window between 1 and 100000");
        return new FeatureDefinition(kind, window);
    }
}
