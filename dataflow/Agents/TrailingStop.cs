using System.Globalization;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The protective overlay of blueprint §9.5: a portfolio-level trailing stop whose band adapts to the book's volatility.
/// The peak is the highest session-close equity since the stop last reset; the band is k·σ̂, σ̂ an EWMA of the
/// equity's session returns over the sessions the book held positions (a flat session says nothing about the book's
/// risk, and would narrow the band just before re-entry). Once σ̂ has warmed up, equity below peak·(1 − k·σ̂) at any mark
/// stops the book: flat for the cooldown's session closes, after which the peak restarts from the equity then.
/// </summary>
/// <param name="sigmas">k: the band in σ̂ of one session's return.</param>
/// <param name="decay">EWMA decay λ of the session-return variance.</param>
/// <param name="warmUp">Held sessions before the stop arms.</param>
/// <param name="cooldown">Session closes the book stays flat after a stop.</param>
public sealed class TrailingStop(double sigmas, double decay, int warmUp, int cooldown)
{
    private double _variance;
    private int _observations;
    private double _peak = double.NaN;
    private double _lastClose = double.NaN;
    private int _flatSessions;

    /// <summary>Whether σ̂ has seen enough held sessions for the stop to act.</summary>
    public bool Armed => _observations >= warmUp;

    /// <summary>σ̂: the EWMA volatility of one session's equity return.</summary>
    public double Volatility => Math.Sqrt(_variance);

    /// <summary>k·σ̂, the fraction of the peak the equity may give back.</summary>
    public double Band => sigmas * Volatility;

    /// <summary>The highest session-close equity since the last reset (NaN before the first close).</summary>
    public double Peak => _peak;

    /// <summary>True from a stop until the cooldown's session closes have passed.</summary>
    public bool Stopped => _flatSessions > 0;

    /// <summary>A session closed at <paramref name="equity"/>; <paramref name="held"/>: the book held positions during it.</summary>
    public void CloseSession(double equity, bool held)
    {
        if (held && _lastClose > 0 && !Stopped)
        {
            var r = (equity / _lastClose) - 1;
            _variance = _observations == 0 ? r * r : (decay * _variance) + ((1 - decay) * r * r);
            _observations++;
        }
        _lastClose = equity;
        if (_flatSessions > 0)
        {
            if (--_flatSessions == 0) _peak = equity;
            return;
        }
        _peak = double.IsNaN(_peak) ? equity : Math.Max(_peak, equity);
    }

    /// <summary>Marks equity; returns why the book stops when this mark is below the band, else null.</summary>
    public string? Mark(double equity)
    {
        if (Stopped || !Armed || double.IsNaN(_peak)) return null;
        var floor = _peak * (1 - Band);
        if (equity >= floor) return null;
        _flatSessions = cooldown;
        return string.Create(CultureInfo.InvariantCulture,
            $"trailing stop: equity {equity:F2} fell {(_peak - equity) / _peak:P2} from its peak {_peak:F2}, beyond the band {sigmas:G4}·σ̂ = {Band:P2} (σ̂ {Volatility:P3} per session): flat for {cooldown} sessions");
    }
}
