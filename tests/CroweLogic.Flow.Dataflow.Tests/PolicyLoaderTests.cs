using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The policy file of blueprint Appendix A, and a precise error for every way it can be wrong.</summary>
public class PolicyLoaderTests
{
    // Blueprint Appendix A, verbatim.
    internal const string AppendixA = """
        id: cs_mom_v1
        owner: CR-008
        trade_universe: US_equities_top1000
        horizons: [1d, 5d]
        entry_gate:
          prob_edge_min: 0.58
          sigma_max: 0.03
        risk:
          gross_limit: 1.5
          net_limit: 0.5
          dd_intraday: 0.02
          var_limit: 0.015
        sizing:
          method: kelly_tempered
          lambda: 0.3
        execution:
          algo: POV
          participation_cap: 0.1
          limit_offset_bps: 3
        stand_down:
          on_data_gap: true
          on_vol_spike_sigma: 4
        """;

    [Fact]
    public void The_blueprint_example_loads_with_every_value()
    {
        var policy = PolicyLoader.Parse(AppendixA);
        Assert.Equal("cs_mom_v1", policy.Id);
        Assert.Equal("CR-008", policy.Owner);
        Assert.Equal("US_equities_top1000", policy.TradeUniverse);
        Assert.Equal(["1d", "5d"], policy.Horizons);
        Assert.Equal(new EntryGate(0.58, 0.03), policy.EntryGate);
        Assert.Equal(new RiskLimits(1.5, 0.5, 0.02, 0.015), policy.Risk);
        Assert.Equal(new Sizing("kelly_tempered", 0.3), policy.Sizing);
        Assert.Equal(new ExecutionSettings("POV", 0.1, 3), policy.Execution);
        Assert.Equal(new StandDown(true, 4), policy.StandDown);
    }

    [Theory]
    [InlineData("  prob_edge_min: 0.58", "  prob_edge_mn: 0.58", "policy:6:3: missing key entry_gate.prob_edge_min")]
    [InlineData("  sigma_max: 0.03", "  sigma_max: 0.03\n  sigma_maxx: 0.1", "policy:8:3: unknown key entry_gate.sigma_maxx")]
    [InlineData("  sigma_max: 0.03", "  sigma_max: high", "policy:7:14: entry_gate.sigma_max must be a number, got 'high'")]
    [InlineData("  lambda: 0.3", "  lambda: 1.5", "policy:15:11: sizing.lambda = 1.5 is outside (0, 1]")]
    [InlineData("  prob_edge_min: 0.58", "  prob_edge_min: 0.5", "entry_gate.prob_edge_min = 0.5 is outside (0.5, 1)")]
    [InlineData("  algo: POV", "  algo: SNIPER", "execution.algo 'SNIPER' is not one of IMMEDIATE, TWAP, VWAP, POV, IS, LIQUIDITY_SEEKING, LADDER")]
    [InlineData("  on_data_gap: true", "  on_data_gap: sometimes", "stand_down.on_data_gap must be true or false, got 'sometimes'")]
    [InlineData("horizons: [1d, 5d]", "horizons: [1d, 5 days]", "horizons entries must match")]
    [InlineData("horizons: [1d, 5d]", "horizons: [1d, 1d]", "horizons lists '1d' twice")]
    [InlineData("horizons: [1d, 5d]", "horizons: 1d", "horizons must be a non-empty list")]
    [InlineData("  net_limit: 0.5", "  net_limit: 2", "risk.net_limit (2) cannot exceed risk.gross_limit (1.5)")]
    [InlineData("id: cs_mom_v1", "id: CS MOM", "id 'CS MOM' does not match")]
    [InlineData("sizing:\n  method: kelly_tempered\n  lambda: 0.3", "sizing: kelly", "sizing must be a mapping of keys")]
    [InlineData("owner: CR-008", "owner: CR-008\nowner_team: quant", "unknown key owner_team")]
    [InlineData("  gross_limit: 1.5", "  gross_limit: [1.5", "not valid YAML")]
    [InlineData("  limit_offset_bps: 3", "  limit_offset_bps: 3\n  venue: \"sim,sim\"", "execution.venue 'sim,sim': two venues are named SIM; give each its own with ?name=")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nportfolio:\n  method: hrp", "policy:24:3: sizing.method (kelly_tempered) and portfolio.method (hrp) disagree: a policy has one portfolio construction method")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nportfolio:\n  method: kelly_tempered\n  covariance: shrunk", "portfolio.covariance 'shrunk' is not one of ledoit_wolf, oas, sample, semicovariance, constant_correlation")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nportfolio:\n  method: kelly_tempered\n  window: 50\n  min_observations: 80", "portfolio.min_observations (80) cannot exceed portfolio.window (50)")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nportfolio:\n  method: kelly_tempered\n  cvar_beta: 1", "portfolio.cvar_beta = 1 is outside (0.5, 1)")]
    [InlineData("  method: kelly_tempered", "  method: black_litterman", "sizing.method 'black_litterman' is not one of kelly_tempered, robust_mvo, hrp, erc, mean_cvar")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  var_methods: [historical]", "risk.var_methods must list parametric (it sets the volatility target); historical may be added")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  var_methods: [parametric, monte_carlo]", "risk.var_methods entries must match")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  var_confidence: 0.4", "risk.var_confidence = 0.4 is outside (0.5, 1)")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  rescale_band: 1", "risk.rescale_band = 1 is outside [0, 1)")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nregime:\n  models: [ewma_vol, garch]", "regime.models entries must match")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nregime:\n  sentinel_halve: 9", "regime.sentinel_kill (8) must exceed regime.sentinel_halve (9)")]
    [InlineData("  on_vol_spike_sigma: 4", "  on_vol_spike_sigma: 4\nregime:\n  turbulence_basket: 40\n  turbulence_window: 30", "regime.turbulence_window (30) must exceed regime.turbulence_basket (40)")]
    [InlineData("  limit_offset_bps: 3", "  limit_offset_bps: 3\n  no_trade_band: 1", "execution.no_trade_band = 1 is outside [0, 1)")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  stress_scenarios: [2008-10]", "risk.stress_scenarios names scenarios but there is no risk.stress_limit to check them against")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  stress_limit: 0.1\n  stress_scenarios: [1987-10]", "risk.stress_scenarios entries must match")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  sector_limit: 0", "risk.sector_limit = 0 is outside (0, 10]")]
    [InlineData("  limit_offset_bps: 3", "  limit_offset_bps: 3\n  passive_below_z: 0.5\n  aggressive_above_z: 0.4", "execution.aggressive_above_z (0.4) must exceed execution.passive_below_z (0.5)")]
    [InlineData("  limit_offset_bps: 3", "  limit_offset_bps: 3\n  passive_below_z: 0.5", "execution.passive_below_z and execution.aggressive_above_z choose how a tick order meets the book, and the cross_sectional_momentum model trades daily bars at the next open: not yet supported")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  trailing_stop_cooldown: 5", "risk.trailing_stop_cooldown tunes the trailing stop, and there is no risk.trailing_stop")]
    [InlineData("  var_limit: 0.015", "  var_limit: 0.015\n  trailing_stop: 4\n  trailing_stop_warm_up: 1", "risk.trailing_stop_warm_up = 1 is outside [2, 100000]")]
    public void Each_mistake_is_named_with_its_position(string find, string replace, string expected)
    {
        var text = AppendixA.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(AppendixA, text);
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_cross_sectional_method_on_the_tick_model_is_refused_as_not_yet_supported()
    {
        var text = AppendixA.Replace("  method: kelly_tempered", "  method: robust_mvo", StringComparison.Ordinal) + """

            strategy:
              model: quote_imbalance
              lookback: 50
              skip: 0
              rebalance_every: 60
              information_coefficient: 0.05
              max_weight: 0.2
            """;
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text));
        Assert.Contains("portfolio.method robust_mvo optimises a cross-section at each rebalance, and the quote_imbalance model forecasts one instrument at a time: not yet supported (use kelly_tempered)", error.Message);
    }

    [Fact]
    public void Every_shipped_policy_loads_and_each_portfolio_method_has_one()
    {
        var files = Directory.GetFiles(Path.Combine(CroweLogic.Flow.Tests.Shared.SharedPaths.RepositoryRoot, "deploy", "policies"), "*.yaml");
        var policies = files.Select(PolicyLoader.Load).ToList();
        Assert.Equal(PortfolioMethods.All.Order(), policies.Select(p => p.PortfolioOrDefault.Method).Distinct().Order());
    }

    [Fact]
    public void The_risk_section_reads_its_optional_keys_and_documents_their_defaults()
    {
        var policy = PolicyLoader.Parse(AppendixA.Replace("  var_limit: 0.015", """
              var_limit: 0.015
              var_confidence: 0.975
              var_methods: [parametric, historical]
              es_limit: 0.02
              var_window: 500
              covariance_decay: 0.97
              correlation_warm_up: 40
              rescale_band: 0.1
              sector_limit: 0.25
              issuer_limit: 0.04
              stress_limit: 0.12
              stress_scenarios: [2020-03, luld_halt]
              vol_floor: 0.001
              tail_convention: order_statistic
              trailing_stop: 6
              trailing_stop_decay: 0.97
              trailing_stop_warm_up: 40
              trailing_stop_cooldown: 10
            """, StringComparison.Ordinal));
        Assert.Equal(new RiskLimits(1.5, 0.5, 0.02, 0.015)
        {
            VarConfidence = 0.975, VarMethods = policy.Risk.VarMethods, EsLimit = 0.02, VarWindow = 500, CovarianceDecay = 0.97, CorrelationWarmUp = 40, RescaleBand = 0.1,
            SectorLimit = 0.25, IssuerLimit = 0.04, StressLimit = 0.12, StressScenarios = policy.Risk.StressScenarios,
            TrailingStop = 6, TrailingStopDecay = 0.97, TrailingStopWarmUp = 40, TrailingStopCooldown = 10, VolFloor = 0.001, TailConvention = RiskLimits.OrderStatistic,
        }, policy.Risk);
        Assert.Equal(["2020-03", "luld_halt"], policy.Risk.StressScenarios);
        Assert.True(policy.Risk.NeedsReference);
        Assert.Equal([RiskLimits.Parametric, RiskLimits.Historical], policy.Risk.VarMethods);
        var defaults = PolicyLoader.Parse(AppendixA).Risk;
        Assert.Equal((0.99, 252, 0.94, 20, 0.05, (double?)null), (defaults.VarConfidence, defaults.VarWindow, defaults.CovarianceDecay, defaults.CorrelationWarmUp, defaults.RescaleBand, defaults.EsLimit));
        Assert.Equal([RiskLimits.Parametric], defaults.VarMethods);
        Assert.Equal(((double?)null, (double?)null, (double?)null, false), (defaults.SectorLimit, defaults.IssuerLimit, defaults.StressLimit, defaults.NeedsReference));
        Assert.Equal(["2008-10", "2020-03", "flash_crash", "luld_halt"], defaults.StressScenarios);
        Assert.Equal(((double?)null, 0.94, 20, 5), (defaults.TrailingStop, defaults.TrailingStopDecay, defaults.TrailingStopWarmUp, defaults.TrailingStopCooldown));
        Assert.Equal(1e-4, defaults.VolFloor);
        Assert.Equal(RiskLimits.Interpolated, defaults.TailConvention);
    }

    [Fact]
    public void The_costs_section_reads_the_maker_fee_and_documents_its_default()
    {
        const string costs = """

            costs:
              commission_bps: 0.3
              half_spread_bps: 0
              impact_coefficient: 0
              borrow_bps_annual: 50
              latency_ms: 1
              initial_equity: 10000000
            """;
        Assert.Equal(-0.2, PolicyLoader.Parse(AppendixA + costs).CostsOrDefault.MakerFeeBps);
        Assert.Equal(-0.2, PolicyLoader.Parse(AppendixA).CostsOrDefault.MakerFeeBps);
        Assert.Equal(0.1, PolicyLoader.Parse(AppendixA + costs + "\n  maker_fee_bps: 0.1").CostsOrDefault.MakerFeeBps);
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(AppendixA + costs + "\n  maker_fee_bps: -500"));
        Assert.Contains("costs.maker_fee_bps = -500 is outside [-100, 100]", error.Message);
    }

    [Fact]
    public void The_regime_section_reads_every_key_and_documents_its_defaults()
    {
        var policy = PolicyLoader.Parse(AppendixA + """

            regime:
              models: [ewma_vol, hmm, turbulence]
              ewma_decay: 0.97
              warm_up: 30
              cooldown: 3
              hmm_window: 300
              refit_every: 21
              hmm_risk_on_min: 0.4
              turbulence_basket: 10
              turbulence_window: 120
              turbulence_alpha: 0.01
              crash_sentinel: true
              sentinel_halve: 3
              sentinel_kill: 6
              sentinel_window: 30
              sentinel_history: 100
            """);
        var r = policy.RegimeOrDefault;
        Assert.Equal([RegimeModels.EwmaVol, RegimeModels.Hmm, RegimeModels.Turbulence], r.Models);
        Assert.Equal((0.97, 30, 3, 300, 21, 0.4, 10, 120, 0.01), (r.EwmaDecay, r.WarmUp, r.Cooldown, r.HmmWindow, r.RefitEvery, r.HmmRiskOnMin, r.TurbulenceBasket, r.TurbulenceWindow, r.TurbulenceAlpha));
        Assert.Equal((true, 3.0, 6.0, 30, 100), (r.CrashSentinel, r.SentinelHalve, r.SentinelKill, r.SentinelWindow, r.SentinelHistory));
        var defaults = PolicyLoader.Parse(AppendixA).RegimeOrDefault;
        Assert.Equal([RegimeModels.EwmaVol, RegimeModels.Bocpd], defaults.Models);
        Assert.Equal((0.94, 20, 5, false, 4.0, 8.0), (defaults.EwmaDecay, defaults.WarmUp, defaults.Cooldown, defaults.CrashSentinel, defaults.SentinelHalve, defaults.SentinelKill));
    }

    [Fact]
    public void The_portfolio_section_reads_every_parameter()
    {
        var policy = PolicyLoader.Parse(AppendixA.Replace("  method: kelly_tempered", "  method: mean_cvar", StringComparison.Ordinal) + """

            portfolio:
              method: mean_cvar
              covariance: oas
              window: 120
              min_observations: 90
              risk_aversion: 7
              turnover_penalty: 0.001
              l1_penalty: 0.0002
              long_only: true
              cvar_beta: 0.9
              cvar_limit: 0.03
              lot_size: 100
              lot_rounding_seconds: 0.5
            """);
        Assert.Equal(new PortfolioSettings(PortfolioMethods.MeanCvar)
        {
            Covariance = "oas", Window = 120, MinObservations = 90, RiskAversion = 7, TurnoverPenalty = 0.001, L1Penalty = 0.0002, LongOnly = true, CvarBeta = 0.9, CvarLimit = 0.03,
            LotSize = 100, LotRoundingSeconds = 0.5,
        }, policy.PortfolioOrDefault);
        Assert.Equal(new PortfolioSettings(PortfolioMethods.KellyTempered), PolicyLoader.Parse(AppendixA).PortfolioOrDefault);
    }

    [Fact]
    public void A_policy_names_several_venues_for_the_router()
    {
        var policy = PolicyLoader.Parse(AppendixA.Replace("  limit_offset_bps: 3", "  limit_offset_bps: 3\n  venue: \"sim?name=A,sim?name=B&latency_ms=5&fee_bps=3\"", StringComparison.Ordinal));
        Assert.Equal(Contracts.Execution.VenueKind.Routed, policy.Execution.Venue.Kind);
        Assert.Equal(["A", "B"], policy.Execution.Venue.Members.Select(m => m.DisplayName));
        Assert.Equal((5.0, 3.0), (policy.Execution.Venue.Members[1].LatencyMs, policy.Execution.Venue.Members[1].FeeBps));
    }

    [Fact]
    public void A_missing_file_or_section_is_named()
    {
        Assert.Contains("does not exist", Assert.Throws<PolicyException>(() => PolicyLoader.Load("/nonexistent/policy.yaml")).Message);
        var withoutRisk = string.Join('\n', AppendixA.Split('\n').Where(l => !l.StartsWith("risk:", StringComparison.Ordinal) && !l.StartsWith("  gross_limit", StringComparison.Ordinal) && !l.StartsWith("  net_limit", StringComparison.Ordinal) && !l.StartsWith("  dd_intraday", StringComparison.Ordinal) && !l.StartsWith("  var_limit", StringComparison.Ordinal)));
        Assert.Contains("missing key risk", Assert.Throws<PolicyException>(() => PolicyLoader.Parse(withoutRisk)).Message);
        Assert.Contains("the policy must be a mapping", Assert.Throws<PolicyException>(() => PolicyLoader.Parse("- a\n- b")).Message);
    }
}
