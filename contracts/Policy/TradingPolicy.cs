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
public sealed record RiskLimits(double GrossLimit, double NetLimit, double DrawdownIntraday, double VarLimit)
{
    /// <summary>The parametric VaR method: z · √(wᵀΣw) with the full covariance.</summary>
    public const string Parametric = "parametric";

    /// <summary>The historical VaR method: the loss quantile of the book over the return window's slices (daily bars).</summary>
    public const string Historical = "historical";

    /// <summary>Confidence of the one-day VaR (<c>var_confidence</c>); default 0.99 (z = Φ⁻¹(0.99) ≈ 2.326).</summary>
    public double VarConfidence { get; init; } = 0.99;

    /// <summary>
    /// VaR methods the book must pass before any order (<c>var_methods</c>): parametric always (it sets the volatility
    /// target), historical on daily bars when listed; default parametric only.
    /// </summary>
    public IReadOnlyList<string> VarMethods { get; init; } = ParametricOnly;

    // One shared default, so two policies that leave var_methods out compare equal.
    private static readonly string[] ParametricOnly = [Parametric];

    /// <summary>The interpolated-quantile tail convention (numpy's): see <see cref="TailConvention"/>.</summary>
    public const string Interpolated = "interpolated";

    /// <summary>skfolio's order-statistic tail convention with the fractional-tail ES (the Rockafellar–Uryasev CVaR).</summary>
    public const string OrderStatistic = "order_statistic";

    /// <summary>
    /// How historical VaR and ES read the tail of the window's days (<c>tail_convention</c>): <c>interpolated</c>, the
    /// default (the quantile interpolated between order statistics, ES the mean at or below it), or
    /// <c>order_statistic</c> (skfolio's: the ⌈(1−α)T⌉-th worst day, ES the fractional tail).
    /// </summary>
    public string TailConvention { get; init; } = Interpolated;

    /// <summary>Cap on the book's historical expected shortfall of one day at <see cref="VarConfidence"/> (<c>es_limit</c>); null, the default, means none.</summary>
    public double? EsLimit { get; init; }

    /// <summary>Slices of returns historical VaR and ES see (<c>var_window</c>); default 252.</summary>
    public int VarWindow { get; init; } = 252;

    /// <summary>RiskMetrics decay λ of the online covariance whose correlations the parametric VaR uses (<c>covariance_decay</c>); default 0.94.</summary>
    public double CovarianceDecay { get; init; } = 0.94;

    /// <summary>Slices before the correlations count (<c>correlation_warm_up</c>); until then the book's variance is diagonal. Default 20.</summary>
    public int CorrelationWarmUp { get; init; } = 20;

    /// <summary>
    /// A decision about a few names moves only them, at the book's current scale, while the fresh scale is within this
    /// fraction of it and no higher risk than the limit allows (<c>rescale_band</c>); otherwise the whole book is
    /// rescaled. Default 0.05.
    /// </summary>
    public double RescaleBand { get; init; } = 0.05;

    /// <summary>
    /// Floor on the book's forecast daily volatility in volatility targeting (<c>vol_floor</c>): a near-zero forecast
    /// must not lever the book without bound (the gross and VaR caps still apply). Default 1e-4.
    /// </summary>
    public double VolFloor { get; init; } = 1e-4;

    /// <summary>Cap on the net weight of one sector, |Σ_sector w| (<c>sector_limit</c>); null, the default, means none. Sectors come from the store's instruments.</summary>
    public double? SectorLimit { get; init; }

    /// <summary>Cap on the net weight of one issuer's lines together, e.g. GOOGL and GOOG (<c>issuer_limit</c>); null, the default, means none.</summary>
    public double? IssuerLimit { get; init; }

    /// <summary>Cap on the book's loss, as a fraction of equity, in any of <see cref="StressScenarios"/> (<c>stress_limit</c>); null, the default, means no stress check.</summary>
    public double? StressLimit { get; init; }

    /// <summary>The scenarios the stress limit is checked against (<c>stress_scenarios</c>); default every one of <see cref="Risk.StressScenarioNames.All"/>.</summary>
    public IReadOnlyList<string> StressScenarios { get; init; } = Risk.StressScenarioNames.All;

    /// <summary>
    /// The protective overlay's trailing stop (<c>trailing_stop</c>, blueprint §9.5): the book is flattened when equity
    /// falls this many σ̂ of one session's equity return below its peak session close; null, the default, means none.
    /// </summary>
    public double? TrailingStop { get; init; }

    /// <summary>EWMA decay λ of the trailing stop's σ̂ (<c>trailing_stop_decay</c>); default 0.94.</summary>
    public double TrailingStopDecay { get; init; } = 0.94;

    /// <summary>Sessions with positions before the trailing stop arms (<c>trailing_stop_warm_up</c>); default 20.</summary>
    public int TrailingStopWarmUp { get; init; } = 20;

    /// <summary>Sessions the book stays flat after the trailing stop (<c>trailing_stop_cooldown</c>); default 5.</summary>
    public int TrailingStopCooldown { get; init; } = 5;

    /// <summary>Whether the pre-trade check needs the store's reference data (sectors, issuers, stress scenarios).</summary>
    public bool NeedsReference => SectorLimit is not null || IssuerLimit is not null || StressLimit is not null;
}

/// <summary>Position sizing.</summary>
/// <param name="Method">Portfolio construction method (Appendix A's key; one of <see cref="PortfolioMethods.All"/>, the same as <c>portfolio.method</c>).</param>
/// <param name="Lambda">Kelly tempering factor, in (0, 1].</param>
public sealed record Sizing(string Method, double Lambda);

/// <summary>
/// Execution settings: how each order the lane decides is worked behind the execution port. IMMEDIATE sends it as the
/// router built it (a marketable limit on ticks, a market order at the next open on bars); the algorithms work it as a
/// parent over <see cref="WindowSeconds"/> in children, each passing the pre-trade limits.
/// </summary>
/// <param name="Algo">IMMEDIATE, TWAP, VWAP, POV, IS, LIQUIDITY_SEEKING or LADDER.</param>
/// <param name="ParticipationCap">Largest share of market volume a parent's fills and working children may reach, in (0, 1].</param>
/// <param name="LimitOffsetBps">How far through the touch a crossing order is priced, in basis points, non-negative.</param>
public sealed record ExecutionSettings(string Algo, double ParticipationCap, double LimitOffsetBps)
{
    /// <summary>The IMMEDIATE algorithm's name.</summary>
    public const string Immediate = "IMMEDIATE";

    /// <summary>Seconds an algorithm may take for a parent (policy <c>window_seconds</c>); 0, the default, means the policy's first horizon.</summary>
    public double WindowSeconds { get; init; }

    /// <summary>Least seconds between two children of a parent (the throttle, <c>child_interval_seconds</c>); default 1.</summary>
    public double ChildIntervalSeconds { get; init; } = 1;

    /// <summary>Anti-gaming: children vary in size and timing by up to this fraction (<c>jitter</c>, in [0, 0.5)); default 0.</summary>
    public double Jitter { get; init; }

    /// <summary>Almgren–Chriss risk aversion λ of the IS algorithm, per currency unit (<c>risk_aversion</c>); default 1e-6.</summary>
    public double RiskAversion { get; init; } = 1e-6;

    /// <summary>Pre-trade: largest distance of a limit price from the mid, as a fraction (<c>price_band</c>); default 0.1.</summary>
    public double PriceBand { get; init; } = 0.1;

    /// <summary>Pre-trade: largest order notional (<c>max_order_notional</c>); 0, the default, means twice the gross limit of the initial equity (a whole book reversed).</summary>
    public double MaxOrderNotional { get; init; }

    /// <summary>Pre-trade: largest order quantity (<c>max_order_quantity</c>); 0, the default, means none.</summary>
    public double MaxOrderQuantity { get; init; }

    /// <summary>Where orders go (<c>venue</c>: replay, sim, sim+fix or fix://host:port); default replay. The command line's <c>--venue</c> overrides it.</summary>
    public Execution.VenueSpec Venue { get; init; } = Execution.VenueSpec.Replay;

    /// <summary>Smallest trade, as a fraction of equity, below which a target change is not worth an order (<c>no_trade_band</c>); default 0.0005.</summary>
    public double NoTradeBand { get; init; } = 0.0005;

    /// <summary>
    /// Uncertainty-aware execution (blueprint §9.3, <c>passive_below_z</c>): an order whose forecast has |μ|/σ below this
    /// works passively — it joins the near touch and rests (IMMEDIATE), or its algorithm never crosses to catch up before
    /// its window ends; null, the default, means every order as the algorithm decides. Ticks only.
    /// </summary>
    public double? PassiveBelowZ { get; init; }

    /// <summary>
    /// An order whose forecast has |μ|/σ at or above this (<c>aggressive_above_z</c>) crosses at once, through the touch by
    /// the limit offset, instead of being worked over a window: an edge that sure is worth the spread now. Null, the
    /// default, means none. Ticks only.
    /// </summary>
    public double? AggressiveAboveZ { get; init; }

    /// <summary>Whether orders go out as the router built them.</summary>
    public bool IsImmediate => Algo == Immediate;
}

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
/// <param name="Portfolio">Portfolio construction (optional section; defaults to <see cref="Sizing"/>'s method with its defaults).</param>
/// <param name="Regime">Regime models and the crash sentinel (optional section; defaults to <see cref="RegimeSettings.Default"/>).</param>
public sealed record TradingPolicy(
    string Id, string Owner, string TradeUniverse, IReadOnlyList<string> Horizons, EntryGate EntryGate, RiskLimits Risk,
    Sizing Sizing, ExecutionSettings Execution, StandDown StandDown, StrategySettings? Strategy = null, ComplianceRules? Compliance = null,
    CostModel? Costs = null, PortfolioSettings? Portfolio = null, RegimeSettings? Regime = null)
{
    /// <summary>The regime section, or its defaults.</summary>
    public RegimeSettings RegimeOrDefault => Regime ?? RegimeSettings.Default;

    /// <summary>The portfolio section, or the defaults of the sizing method.</summary>
    public PortfolioSettings PortfolioOrDefault => Portfolio ?? PortfolioSettings.For(Sizing.Method);

    /// <summary>The strategy section, or its defaults.</summary>
    public StrategySettings StrategyOrDefault => Strategy ?? StrategySettings.Default;

    /// <summary>The compliance section, or its defaults.</summary>
    public ComplianceRules ComplianceOrDefault => Compliance ?? ComplianceRules.Default;

    /// <summary>The cost section, or its defaults.</summary>
    public CostModel CostsOrDefault => Costs ?? CostModel.Default;
}
