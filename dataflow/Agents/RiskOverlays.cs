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
        if (gross * scale > policy.Risk.GrossLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "gross_limit", gross * scale, policy.Risk.GrossLimit, $"gross exposure {gross * scale:G4} above {policy.Risk.GrossLimit:G4}: scaled down"));
        if (Math.Abs(net * scale) > policy.Risk.NetLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "net_limit", net * scale, policy.Risk.NetLimit, $"net exposure {net * scale:G4} beyond ±{policy.Risk.NetLimit:G4}: scaled down"));
        if (tail.Var * scale > policy.Risk.VarLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "var_historical", tail.Var * scale, policy.Risk.VarLimit, $"historical one-day VaR {tail.Var * scale:G4} above {policy.Risk.VarLimit:G4} over {tail.Scenarios} days: scaled down"));
        if (policy.Risk.EsLimit is { } esLimit && tail.Es * scale > esLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "es_historical", tail.Es * scale, esLimit, $"historical one-day ES {tail.Es * scale:G4} above {esLimit:G4} over {tail.Scenarios} days: scaled down"));
        var risk = policy.Risk;
        if (risk.SectorLimit is { } sectorLimit && limits.Sector * scale > sectorLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "sector_limit", limits.Sector * scale, sectorLimit, $"net weight {limits.Sector * scale:G4} of sector {limits.SectorName} beyond ±{sectorLimit:G4}: scaled down"));
        if (risk.IssuerLimit is { } issuerLimit && limits.Issuer * scale > issuerLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "issuer_limit", limits.Issuer * scale, issuerLimit, $"net weight {limits.Issuer * scale:G4} of issuer {limits.IssuerName} beyond ±{issuerLimit:G4}: scaled down"));
        if (risk.StressLimit is { } stressLimit && limits.Stress * scale > stressLimit)
            events.Add(Event(ts, RiskSeverity.Breach, "stress_limit", limits.Stress * scale, stressLimit, $"loss {limits.Stress * scale:G4} of equity in stress scenario {limits.StressScenario ?? "?"} above {stressLimit:G4}: scaled down"));
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
        if (gross * scale > policy.Risk.GrossLimit) cap = Math.Min(cap, policy.Risk.GrossLimit / (gross * scale));
        if (Math.Abs(net * scale) > policy.Risk.NetLimit) cap = Math.Min(cap, policy.Risk.NetLimit / Math.Abs(net * scale));
        if (tail.Var * scale > policy.Risk.VarLimit) cap = Math.Min(cap, policy.Risk.VarLimit / (tail.Var * scale));
        if (policy.Risk.EsLimit is { } esLimit && tail.Es * scale > esLimit) cap = Math.Min(cap, esLimit / (tail.Es * scale));
        if (policy.Risk.SectorLimit is { } sectorLimit && limits.Sector * scale > sectorLimit) cap = Math.Min(cap, sectorLimit / (limits.Sector * scale));
        if (policy.Risk.IssuerLimit is { } issuerLimit && limits.Issuer * scale > issuerLimit) cap = Math.Min(cap, issuerLimit / (limits.Issuer * scale));
        if (policy.Risk.StressLimit is { } stressLimit && limits.Stress * scale > stressLimit) cap = Math.Min(cap, stressLimit / (limits.Stress * scale));
        return scale * cap;
    }

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
