namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The signal gate: trade only forecasts with enough probability of edge and little enough uncertainty.</summary>
/// <param name="ProbEdgeMin">Minimum P(edge &gt; 0), in (0.5, 1).</param>
/// <param name="SigmaMax">Maximum forecast σ, positive.</param>
public sealed record EntryGate(double ProbEdgeMin, double SigmaMax);

/// <summary>Risk limits, as fractions of equity.</summary>
/// <param name="GrossLimit">Σ|w| cap.</param>
/// <param name="NetLimit">|Σw| cap.</param>
/// <param name="DrawdownIntraday">Intraday drawdown that flattens the book.</param>
/// <param name="VarLimit">One-day VaR cap.</param>
public sealed record RiskLimits(double GrossLimit, double NetLimit, double DrawdownIntraday, double VarLimit);

/// <summary>Position sizing.</summary>
/// <param name="Method">Sizing method (kelly_tempered).</param>
/// <param name="Lambda">Kelly tempering factor, in (0, 1].</param>
public sealed record Sizing(string Method, double Lambda);

/// <summary>Execution settings.</summary>
/// <param name="Algo">Algorithm: TWAP, VWAP, POV, IS, LIQUIDITY_SEEKING or LADDER.</param>
/// <param name="ParticipationCap">Largest share of market volume, in (0, 1].</param>
/// <param name="LimitOffsetBps">Limit price offset from the reference, in basis points, non-negative.</param>
public sealed record ExecutionSettings(string Algo, double ParticipationCap, double LimitOffsetBps);

/// <summary>When the lane stands down (flattens and stops opening positions).</summary>
/// <param name="OnDataGap">Stand down when market data has a gap or fails integrity checks.</param>
/// <param name="OnVolSpikeSigma">Stand down when realised volatility exceeds this many standard deviations, positive.</param>
public sealed record StandDown(bool OnDataGap, double OnVolSpikeSigma);

/// <summary>A trading policy (blueprint Appendix A): the id every order carries, and the settings of each gate.</summary>
/// <param name="Id">Policy id.</param>
/// <param name="Owner">Accountable owner.</param>
/// <param name="TradeUniverse">Universe name.</param>
/// <param name="Horizons">Forecast horizons (e.g. 1d, 5d, 30m).</param>
/// <param name="EntryGate">Signal gate.</param>
/// <param name="Risk">Risk limits.</param>
/// <param name="Sizing">Sizing.</param>
/// <param name="Execution">Execution.</param>
/// <param name="StandDown">Stand-down triggers.</param>
/// <param name="Strategy">The signal model the lane runs (optional section; defaults to cross-sectional momentum).</param>
/// <param name="Compliance">Compliance rules (optional section; defaults to no restrictions beyond the standard checks).</param>
/// <param name="Costs">Simulated execution costs for backtest and paper (optional section).</param>
public sealed record TradingPolicy(
    string Id, string Owner, string TradeUniverse, IReadOnlyList<string> Horizons, EntryGate EntryGate, RiskLimits Risk,
    Sizing Sizing, ExecutionSettings Execution, StandDown StandDown, StrategySettings? Strategy = null, ComplianceRules? Compliance = null,
    CostModel? Costs = null)
{
    /// <summary>The strategy section, or its defaults.</summary>
    public StrategySettings StrategyOrDefault => Strategy ?? StrategySettings.Default;

    /// <summary>The compliance section, or its defaults.</summary>
    public ComplianceRules ComplianceOrDefault => Compliance ?? ComplianceRules.Default;

    /// <summary>The cost section, or its defaults.</summary>
    public CostModel CostsOrDefault => Costs ?? CostModel.Default;
}
