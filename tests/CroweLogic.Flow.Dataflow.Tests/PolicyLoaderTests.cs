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
    public void Each_mistake_is_named_with_its_position(string find, string replace, string expected)
    {
        var text = AppendixA.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(AppendixA, text);
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text));
        Assert.Contains(expected, error.Message);
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
