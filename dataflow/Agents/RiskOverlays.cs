using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// Blueprint §6.4 overlays on target weights, in order: the intraday drawdown guard (breach → flat until the next
/// session), volatility targeting (scale by σ* / max(σ̂, ε)), then the caps — gross, net, historical VaR and ES, sector,
/// issuer and stress — as one common scale, so the portfolio's proportions survive. A limit on part of the book (a
/// sector) scales the whole book too: cutting only the sector's names could unhedge a long-short book and push its net
/// exposure or VaR past their limits, and a common scale keeps every other limit met. Event ids derive from source, kind and time, so replays produce identical events.
/// </summary>
public sealed class RiskOverlays(TradingPolicy policy, IClock clock)
{
    /// <summary>The agent name on its events.</summary>
    public const string Source = "risk_overlays";

    // Floor on forecast volatility (the policy's risk.vol_floor): a near-zero forecast must not lever the book without bound.
    private readonly double _volFloor = policy.Risk.VolFloor;

    private double _peak = double.NaN;
    private bool _flat;

    /// <summary>True after a drawdown breach, until <see cref="StartSession"/>.</summary>
    public bool IsFlat => _flat;

    /// <summary>Starts a session: the drawdown peak resets and trading may resume.</summary>
    public void StartSession()
    {
        _peak = double.NaN;
        _flat = false;
    }

    /// <summary>Applies the overlays to <paramref name="targets"/>.</summary>
    /// <param name="targets">Target weights by instrument.</param>
    /// <param name="equity">Current equity (marks the intraday peak and drawdown).</param>
    /// <param name="forecastVol">Forecast portfolio volatility σ̂ of <paramref name="targets"/>.</param>
    /// <param name="targetVol">The volatility target σ*.</param>
    /// <param name="ts">Event time of the decision (the clock's time when null); replays pass event time so their events repeat exactly.</param>
    public RiskOverlayResult<TKey> Apply<TKey>(IReadOnlyDictionary<TKey, double> targets, double equity, double forecastVol, double targetVol, long? ts = null)
        where TKey : notnull
    {
        var (rawGross, rawNet) = (targets.Values.Sum(w => Math.Abs(w)), targets.Values.Sum());
        var (factor, events) = Scale(rawGross, rawNet, forecastVol, targetVol, equity, ts ?? clock.NowNanos);
        return new RiskOverlayResult<TKey>(targets.ToDictionary(t => t.Key, t => _flat ? 0.0 : t.Value * factor), events);
    }

    /// <summary>
    /// <see cref="Apply"/> on a book known by its gross and net exposure: marks the drawdown guard and returns the common
    /// factor every weight is multiplied by (0 once flat) with the events of the overlays that acted. Lets a caller that
    /// keeps its book in its own arrays rescale it without building dictionaries. <paramref name="tail"/> is the book's
    /// historical VaR and ES per unit of scale (none by default): both are positively homogeneous, so the scale that
    /// meets each limit is limit / measure.
    /// </summary>
    public (double Factor, List<RiskEvent> Events) Scale(double gross, double net, double forecastVol, double targetVol, double equity, long ts, BookTail tail = default, PreTradeLimits.Measures limits = default)
    {
        if (!(targetVol > 0) || !double.IsFinite(forecastVol) || forecastVol < 0) throw new ArgumentOutOfRangeException(nameof(forecastVol), "volatilities must be finite, the target positive");
        var events = new List<RiskEvent>();
        if (Mark(equity, ts) is { } breach) events.Add(breach);
        if (_flat) return (0, events);

        var scale = targetVol / Math.Max(forecastVol, _volFloor);
        if (Math.Abs(scale - 1) > 1e-12)
            events.Add(Event(ts, RiskSeverity.Info, "vol_target", forecastVol, targetVol, $"forecast volatility {forecastVol:G4} vs target {targetVol:G4}: exposure scaled by {scale:G4}"));
        foreach (var (kind, value, limit) in Caps(gross, net, scale, tail, limits))
            if (Math.Abs(value) > limit) events.Add(Event(ts, RiskSeverity.Breach, kind, value, limit, Describe(kind, value, limit, tail, limits)));
        return (Factor(gross, net, forecastVol, targetVol, tail, limits), events);
    }

    /// <summary>
    /// The common scale <see cref="Apply"/> puts on a book with this gross and net exposure and forecast volatility: the
    /// volatility target's scale, cut further by the gross and net caps, the historical VaR and ES limits
    /// (<paramref name="tail"/>), and the sector, issuer and stress limits (<paramref name="limits"/>). No drawdown check
    /// and no events.
    /// </summary>
    public double Factor(double gross, double net, double forecastVol, double targetVol, BookTail tail = default, PreTradeLimits.Measures limits = default)
    {
        var scale = targetVol / Math.Max(forecastVol, _volFloor);
        var cap = 1.0;
        foreach (var (_, value, limit) in Caps(gross, net, scale, tail, limits))
            if (Math.Abs(value) > limit) cap = Math.Min(cap, limit / Math.Abs(value));
        return scale * cap;
    }

    /// <summary>
    /// Every cap the book's common scale must meet, at the volatility target's <paramref name="scale"/>: its kind, the
    /// measure there (signed where its limit is ±), and the limit. One list, so <see cref="Scale"/>'s events and
    /// <see cref="Factor"/>'s cut cannot disagree; every measure is positively homogeneous, so limit / |measure| meets it.
    /// </summary>
    private ReadOnlySpan<(string Kind, double Value, double Limit)> Caps(double gross, double net, double scale, BookTail tail, PreTradeLimits.Measures limits)
    {
        // One buffer reused per call: Factor runs on every decision of a tick lane, which must not allocate for it.
        var risk = policy.Risk;
        var n = 0;
        _caps[n++] = ("gross_limit", gross * scale, risk.GrossLimit);
        _caps[n++] = ("net_limit", net * scale, risk.NetLimit);
        _caps[n++] = ("var_historical", tail.Var * scale, risk.VarLimit);
        if (risk.EsLimit is { } es) _caps[n++] = ("es_historical", tail.Es * scale, es);
        if (risk.SectorLimit is { } sector) _caps[n++] = ("sector_limit", limits.Sector * scale, sector);
        if (risk.IssuerLimit is { } issuer) _caps[n++] = ("issuer_limit", limits.Issuer * scale, issuer);
        if (risk.StressLimit is { } stress) _caps[n++] = ("stress_limit", limits.Stress * scale, stress);
        return _caps.AsSpan(0, n);
    }

    private readonly (string Kind, double Value, double Limit)[] _caps = new (string, double, double)[7];

    private static string Describe(string kind, double value, double limit, BookTail tail, PreTradeLimits.Measures limits) => kind switch
    {
        "gross_limit" => $"gross exposure {value:G4} above {limit:G4}: scaled down",
        "net_limit" => $"net exposure {value:G4} beyond ±{limit:G4}: scaled down",
        "var_historical" => $"historical one-day VaR {value:G4} above {limit:G4} over {tail.Scenarios} days: scaled down",
        "es_historical" => $"historical one-day ES {value:G4} above {limit:G4} over {tail.Scenarios} days: scaled down",
        "sector_limit" => $"net weight {value:G4} of sector {limits.SectorName} beyond ±{limit:G4}: scaled down",
        "issuer_limit" => $"net weight {value:G4} of issuer {limits.IssuerName} beyond ±{limit:G4}: scaled down",
        _ => $"loss {value:G4} of equity in stress scenario {limits.StressScenario ?? "?"} above {limit:G4}: scaled down",
    };

    /// <summary>A book's historical one-day VaR and ES per unit of scale (0 when not measured) and the days they came from.</summary>
    public readonly record struct BookTail(double Var, double Es, int Scenarios)
    {
        /// <summary>Not measured.</summary>
        public static BookTail None => default;
    }

    /// <summary>
    /// Marks equity for the drawdown guard (on every price move, not only at decisions); returns the breach event when
    /// this mark takes the intraday drawdown to the limit, after which <see cref="IsFlat"/> holds until the next session.
    /// </summary>
    public RiskEvent? Mark(double equity, long ts)
    {
        if (!(equity > 0)) throw new ArgumentOutOfRangeException(nameof(equity), equity, "equity must be positive");
        _peak = double.IsNaN(_peak) ? equity : Math.Max(_peak, equity);
        var drawdown = (_peak - equity) / _peak;
        if (_flat || drawdown < policy.Risk.DrawdownIntraday) return null;
        _flat = true;
        return Event(ts, RiskSeverity.Critical, "dd_intraday", drawdown, policy.Risk.DrawdownIntraday,
            $"intraday drawdown {drawdown:P2} from peak {_peak:F2} reached the {policy.Risk.DrawdownIntraday:P2} limit: flattening until the next session");
    }

    private RiskEvent Event(long ts, RiskSeverity severity, string kind, double value, double limit, string message) =>
        new($"{Source}:{kind}:{ts}", ts, Source, severity, kind, "", policy.Id, value, limit, message);
}
