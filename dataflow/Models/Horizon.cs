using System.Globalization;

namespace CroweLogic.Flow.Dataflow.Models;

/// <summary>Forecast horizons as the policy writes them (30m, 1h, 1d, 1w), in trading-day units.</summary>
public static class Horizon
{
    /// <summary>Minutes in a US equity session.</summary>
    public const double SessionMinutes = 390;

    /// <summary>The horizon's length in trading days.</summary>
    /// <exception cref="ArgumentException">Not a number followed by m, h, d or w.</exception>
    public static double Days(string horizon)
    {
        if (horizon.Length < 2 || !int.TryParse(horizon.AsSpan(0, horizon.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw new ArgumentException($"horizon '{horizon}' must be a whole number followed by m, h, d or w");
        return horizon[^1] switch
        {
            'm' => n / SessionMinutes,
            'h' => n * 60 / SessionMinutes,
            'd' => n,
            'w' => n * 5,
            _ => throw new ArgumentException($"horizon '{horizon}' must end in m, h, d or w"),
        };
    }
}
