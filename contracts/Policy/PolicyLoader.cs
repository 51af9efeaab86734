using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>
/// Reads a policy file (YAML, blueprint Appendix A). Every key is required, unknown keys are refused (a typo must not
/// silently fall back to a default), and each error names the file, line and column, the key path and what was expected.
/// </summary>
public static partial class PolicyLoader
{
    private static readonly string[] Algorithms = [ExecutionSettings.Immediate, "TWAP", "VWAP", "POV", "IS", "LIQUIDITY_SEEKING", "LADDER"];

    /// <summary>Loads a policy file.</summary>
    /// <exception cref="PolicyException">The file is missing, not YAML, or not a valid policy.</exception>
    public static TradingPolicy Load(string path)
    {
        if (!File.Exists(path)) throw new PolicyException($"policy file {path} does not exist");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses policy text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="PolicyException">Not YAML, or not a valid policy.</exception>
    public static TradingPolicy Parse(string yaml, string source = "policy")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PolicyException($"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some malformed flow collections (e.g. an unclosed '[') this way.
            throw new PolicyException($"{source}: not valid YAML: {e.Message}");
        }
        if (stream.Documents.Count != 1) throw new PolicyException($"{source}: expected one YAML document, found {stream.Documents.Count}");
        var root = new Section(source, "", stream.Documents[0].RootNode);
        var policy = new TradingPolicy(
            root.Text("id", IdPattern()),
            root.Text("owner"),
            root.Text("trade_universe"),
            root.TextList("horizons", HorizonPattern()),
            Read(root.Child("entry_gate"), g => new EntryGate(g.Number("prob_edge_min", 0.5, 1, lowOpen: true, highOpen: true), g.Number("sigma_max", 0, double.MaxValue, lowOpen: true))),
            Read(root.Child("risk"), ReadRisk),
            Read(root.Child("sizing"), s => new Sizing(s.Choice("method", PortfolioMethods.All), s.Number("lambda", 0, 1, lowOpen: true))),
            Read(root.Child("execution"), ReadExecution),
            Read(root.Child("stand_down"), d => new StandDown(d.Flag("on_data_gap"), d.Number("on_vol_spike_sigma", 0, 100, lowOpen: true))),
            root.Has("strategy") ? Read(root.Child("strategy"), ReadStrategy) : null,
            root.Has("compliance") ? Read(root.Child("compliance"), c => new ComplianceRules(
                c.Has("restricted") ? c.TextList("restricted", SymbolPattern(), allowEmpty: true) : [],
                c.Number("max_position_weight", 0, 10, lowOpen: true),
                c.Has("locates") ? c.NumberMap("locates", SymbolPattern(), 0, double.MaxValue) : null,
                c.Flag("uptick_rule"),
                c.Number("wash_window_seconds", 0, 86_400))) : null,
            root.Has("costs") ? Read(root.Child("costs"), c => new CostModel(
                c.Number("commission_bps", 0, 1000), c.Number("half_spread_bps", 0, 1000), c.Number("impact_coefficient", 0, 10),
                c.Number("borrow_bps_annual", 0, 10_000), c.Number("latency_ms", 0, 60_000), c.Number("initial_equity", 0, 1e15, lowOpen: true))
            {
                MakerFeeBps = c.Has("maker_fee_bps") ? c.Number("maker_fee_bps", -100, 100) : CostModel.Default.MakerFeeBps,
            }) : null,
            root.Has("portfolio") ? Read(root.Child("portfolio"), ReadPortfolio) : null,
            root.Has("regime") ? Read(root.Child("regime"), ReadRegime) : null);
        root.RefuseUnknown();
        if (policy.Portfolio is { } portfolio && portfolio.Method != policy.Sizing.Method)
            throw root.ErrorAt("portfolio", $"sizing.method ({policy.Sizing.Method}) and portfolio.method ({portfolio.Method}) disagree: a policy has one portfolio construction method");
        var method = policy.PortfolioOrDefault.Method;
        if (PortfolioMethods.IsCrossSectional(method) && policy.StrategyOrDefault.Model == StrategyModels.QuoteImbalance)
            throw new PolicyException($"{source}: portfolio.method {method} optimises a cross-section at each rebalance, and the {StrategyModels.QuoteImbalance} model forecasts one instrument at a time: not yet supported (use kelly_tempered)");
        if (policy.StrategyOrDefault.Model == StrategyModels.QuoteImbalance && (policy.Risk.VarMethods.Contains(RiskLimits.Historical) || policy.Risk.EsLimit is not null))
            throw new PolicyException($"{source}: historical VaR and ES (risk.var_methods: historical, risk.es_limit) need daily return scenarios, and the {StrategyModels.QuoteImbalance} model slices by minute: not yet supported");
        if (policy.StrategyOrDefault.Model != StrategyModels.QuoteImbalance && (policy.Execution.PassiveBelowZ is not null || policy.Execution.AggressiveAboveZ is not null))
            throw new PolicyException($"{source}: execution.passive_below_z and execution.aggressive_above_z choose how a tick order meets the book, and the {policy.StrategyOrDefault.Model} model trades daily bars at the next open: not yet supported");
        if (policy.Risk.NetLimit > policy.Risk.GrossLimit)
            throw new PolicyException($"{source}: risk.net_limit ({policy.Risk.NetLimit}) cannot exceed risk.gross_limit ({policy.Risk.GrossLimit})");
        return policy;
    }

    private static ExecutionSettings ReadExecution(Section e)
    {
        var settings = new ExecutionSettings(e.Choice("algo", Algorithms), e.Number("participation_cap", 0, 1, lowOpen: true), e.Number("limit_offset_bps", 0, 1000));
        if (e.Has("window_seconds")) settings = settings with { WindowSeconds = e.Number("window_seconds", 0, 86_400, lowOpen: true) };
        if (e.Has("child_interval_seconds")) settings = settings with { ChildIntervalSeconds = e.Number("child_interval_seconds", 0, 86_400) };
        if (e.Has("jitter")) settings = settings with { Jitter = e.Number("jitter", 0, 0.5, highOpen: true) };
        if (e.Has("risk_aversion")) settings = settings with { RiskAversion = e.Number("risk_aversion", 0, 1) };
        if (e.Has("price_band")) settings = settings with { PriceBand = e.Number("price_band", 0, 1, lowOpen: true) };
        if (e.Has("max_order_notional")) settings = settings with { MaxOrderNotional = e.Number("max_order_notional", 0, 1e15, lowOpen: true) };
        if (e.Has("no_trade_band")) settings = settings with { NoTradeBand = e.Number("no_trade_band", 0, 1, highOpen: true) };
        if (e.Has("passive_below_z")) settings = settings with { PassiveBelowZ = e.Number("passive_below_z", 0, 100, lowOpen: true) };
        if (e.Has("aggressive_above_z")) settings = settings with { AggressiveAboveZ = e.Number("aggressive_above_z", 0, 100, lowOpen: true) };
        if (settings is { PassiveBelowZ: { } passive, AggressiveAboveZ: { } aggressive } && aggressive <= passive)
            throw e.ErrorAt("aggressive_above_z", $"execution.aggressive_above_z ({aggressive}) must exceed execution.passive_below_z ({passive})");
        if (e.Has("max_order_quantity")) settings = settings with { MaxOrderQuantity = e.Number("max_order_quantity", 0, 1e15, lowOpen: true) };
        if (e.Has("venue"))
        {
            try
            {
                settings = settings with { Venue = Execution.VenueSpec.Parse(e.Text("venue")) };
            }
            catch (FormatException error)
            {
                throw e.ErrorAt("venue", $"execution.{error.Message}");
            }
        }
        return settings;
    }

    private static RiskLimits ReadRisk(Section r)
    {
        var risk = new RiskLimits(
            r.Number("gross_limit", 0, 10, lowOpen: true), r.Number("net_limit", 0, 10), r.Number("dd_intraday", 0, 1, lowOpen: true, highOpen: true), r.Number("var_limit", 0, 1, lowOpen: true, highOpen: true));
        if (r.Has("var_confidence")) risk = risk with { VarConfidence = r.Number("var_confidence", 0.5, 1, lowOpen: true, highOpen: true) };
        if (r.Has("var_methods"))
        {
            var methods = r.TextList("var_methods", VarMethodPattern());
            if (!methods.Contains(RiskLimits.Parametric)) throw r.ErrorAt("var_methods", "risk.var_methods must list parametric (it sets the volatility target); historical may be added");
            risk = risk with { VarMethods = methods };
        }
        if (r.Has("es_limit")) risk = risk with { EsLimit = r.Number("es_limit", 0, 1, lowOpen: true, highOpen: true) };
        if (r.Has("var_window")) risk = risk with { VarWindow = r.Whole("var_window", 20, 100_000) };
        if (r.Has("covariance_decay")) risk = risk with { CovarianceDecay = r.Number("covariance_decay", 0, 1, lowOpen: true, highOpen: true) };
        if (r.Has("correlation_warm_up")) risk = risk with { CorrelationWarmUp = r.Whole("correlation_warm_up", 1, 100_000) };
        if (r.Has("rescale_band")) risk = risk with { RescaleBand = r.Number("rescale_band", 0, 1, highOpen: true) };
        if (r.Has("sector_limit")) risk = risk with { SectorLimit = r.Number("sector_limit", 0, 10, lowOpen: true) };
        if (r.Has("issuer_limit")) risk = risk with { IssuerLimit = r.Number("issuer_limit", 0, 10, lowOpen: true) };
        if (r.Has("stress_limit")) risk = risk with { StressLimit = r.Number("stress_limit", 0, 10, lowOpen: true) };
        if (r.Has("tail_convention")) risk = risk with { TailConvention = r.Choice("tail_convention", [RiskLimits.Interpolated, RiskLimits.OrderStatistic]) };
        if (r.Has("vol_floor")) risk = risk with { VolFloor = r.Number("vol_floor", 0, 1, lowOpen: true) };
        if (r.Has("trailing_stop")) risk = risk with { TrailingStop = r.Number("trailing_stop", 0, 100, lowOpen: true) };
        foreach (var key in new[] { "trailing_stop_decay", "trailing_stop_warm_up", "trailing_stop_cooldown" })
            if (r.Has(key) && risk.TrailingStop is null) throw r.ErrorAt(key, $"risk.{key} tunes the trailing stop, and there is no risk.trailing_stop");
        if (r.Has("trailing_stop_decay")) risk = risk with { TrailingStopDecay = r.Number("trailing_stop_decay", 0, 1, lowOpen: true, highOpen: true) };
        if (r.Has("trailing_stop_warm_up")) risk = risk with { TrailingStopWarmUp = r.Whole("trailing_stop_warm_up", 2, 100_000) };
        if (r.Has("trailing_stop_cooldown")) risk = risk with { TrailingStopCooldown = r.Whole("trailing_stop_cooldown", 1, 100_000) };
        if (r.Has("stress_scenarios"))
        {
            if (risk.StressLimit is null) throw r.ErrorAt("stress_scenarios", "risk.stress_scenarios names scenarios but there is no risk.stress_limit to check them against");
            risk = risk with { StressScenarios = r.TextList("stress_scenarios", StressScenarioPattern()) };
        }
        return risk;
    }

    private static RegimeSettings ReadRegime(Section r)
    {
        var settings = new RegimeSettings();
        if (r.Has("models")) settings = settings with { Models = r.TextList("models", RegimeModelPattern(), allowEmpty: true) };
        if (r.Has("ewma_decay")) settings = settings with { EwmaDecay = r.Number("ewma_decay", 0, 1, lowOpen: true, highOpen: true) };
        if (r.Has("warm_up")) settings = settings with { WarmUp = r.Whole("warm_up", 2, 100_000) };
        if (r.Has("cooldown")) settings = settings with { Cooldown = r.Whole("cooldown", 1, 100_000) };
        if (r.Has("hmm_window")) settings = settings with { HmmWindow = r.Whole("hmm_window", 50, 100_000) };
        if (r.Has("refit_every")) settings = settings with { RefitEvery = r.Whole("refit_every", 1, 100_000) };
        if (r.Has("hmm_risk_on_min")) settings = settings with { HmmRiskOnMin = r.Number("hmm_risk_on_min", 0, 1) };
        if (r.Has("turbulence_basket")) settings = settings with { TurbulenceBasket = r.Whole("turbulence_basket", 2, 1000) };
        if (r.Has("turbulence_window")) settings = settings with { TurbulenceWindow = r.Whole("turbulence_window", 20, 100_000) };
        if (r.Has("turbulence_alpha")) settings = settings with { TurbulenceAlpha = r.Number("turbulence_alpha", 0, 0.5, lowOpen: true) };
        if (r.Has("crash_sentinel")) settings = settings with { CrashSentinel = r.Flag("crash_sentinel") };
        if (r.Has("sentinel_halve")) settings = settings with { SentinelHalve = r.Number("sentinel_halve", 0, 1000, lowOpen: true) };
        if (r.Has("sentinel_kill")) settings = settings with { SentinelKill = r.Number("sentinel_kill", 0, 1000, lowOpen: true) };
        if (settings.SentinelKill <= settings.SentinelHalve)
            throw r.ErrorAt(r.Has("sentinel_kill") ? "sentinel_kill" : "sentinel_halve", $"regime.sentinel_kill ({settings.SentinelKill}) must exceed regime.sentinel_halve ({settings.SentinelHalve})");
        if (r.Has("sentinel_window")) settings = settings with { SentinelWindow = r.Whole("sentinel_window", 5, 100_000) };
        if (r.Has("sentinel_history")) settings = settings with { SentinelHistory = r.Whole("sentinel_history", 20, 100_000) };
        if (settings.TurbulenceWindow <= settings.TurbulenceBasket)
            throw r.ErrorAt(r.Has("turbulence_window") ? "turbulence_window" : "turbulence_basket", $"regime.turbulence_window ({settings.TurbulenceWindow}) must exceed regime.turbulence_basket ({settings.TurbulenceBasket}) for an invertible covariance");
        return settings;
    }

    private static PortfolioSettings ReadPortfolio(Section p)
    {
        var settings = new PortfolioSettings(p.Choice("method", PortfolioMethods.All));
        if (p.Has("covariance")) settings = settings with { Covariance = p.Choice("covariance", CovarianceEstimators.All) };
        if (p.Has("window")) settings = settings with { Window = p.Whole("window", 2, 100_000) };
        if (p.Has("min_observations")) settings = settings with { MinObservations = p.Whole("min_observations", 2, 100_000) };
        if (settings.MinObservations > settings.Window)
            throw p.ErrorAt(p.Has("min_observations") ? "min_observations" : "window", $"portfolio.min_observations ({settings.MinObservations}) cannot exceed portfolio.window ({settings.Window})");
        if (p.Has("risk_aversion")) settings = settings with { RiskAversion = p.Number("risk_aversion", 0, 1e9, lowOpen: true) };
        if (p.Has("turnover_penalty")) settings = settings with { TurnoverPenalty = p.Number("turnover_penalty", 0, 1) };
        if (p.Has("l1_penalty")) settings = settings with { L1Penalty = p.Number("l1_penalty", 0, 1) };
        if (p.Has("long_only")) settings = settings with { LongOnly = p.Flag("long_only") };
        if (p.Has("cvar_beta")) settings = settings with { CvarBeta = p.Number("cvar_beta", 0.5, 1, lowOpen: true, highOpen: true) };
        if (p.Has("cvar_limit")) settings = settings with { CvarLimit = p.Number("cvar_limit", 0, 1, lowOpen: true) };
        if (p.Has("lot_size")) settings = settings with { LotSize = p.Whole("lot_size", 1, 1_000_000) };
        if (p.Has("lot_rounding_seconds")) settings = settings with { LotRoundingSeconds = p.Number("lot_rounding_seconds", 0, 60, lowOpen: true) };
        return settings;
    }

    private static StrategySettings ReadStrategy(Section s)
    {
        var model = s.Choice("model", StrategyModels.All);
        var lookback = s.Whole("lookback", 1, 10_000);
        var skip = s.Whole("skip", 0, 10_000);
        if (skip >= lookback) throw s.ErrorAt("skip", $"strategy.skip ({skip}) must be below strategy.lookback ({lookback})");
        return new StrategySettings(model, lookback, skip, s.Whole("rebalance_every", 1, 100_000),
            s.Number("information_coefficient", 0, 1, lowOpen: true, highOpen: true), s.Number("max_weight", 0, 10, lowOpen: true));
    }

    private static T Read<T>(Section section, Func<Section, T> read)
    {
        var value = read(section);
        section.RefuseUnknown();
        return value;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^(ewma_vol|bocpd|hmm|turbulence)$")]
    private static partial Regex RegimeModelPattern();

    [GeneratedRegex("^(2008-10|2020-03|flash_crash|luld_halt)$")]
    private static partial Regex StressScenarioPattern();

    [GeneratedRegex("^(parametric|historical)$")]
    private static partial Regex VarMethodPattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9._/-]{0,31}$")]
    private static partial Regex SymbolPattern();

    [GeneratedRegex("^[1-9][0-9]*(m|h|d|w)$")]
    private static partial Regex HorizonPattern();

    /// <summary>A mapping being read: remembers the keys taken so leftovers can be refused.</summary>
    private sealed class Section
    {
        private readonly string _source;
        private readonly string _path;
        private readonly YamlMappingNode _node;
        private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

        public Section(string source, string path, YamlNode node)
        {
            _source = source;
            _path = path;
            _node = node as YamlMappingNode ?? throw Error(node, path.Length == 0 ? "the policy must be a mapping of keys" : $"{path} must be a mapping of keys");
        }

        private PolicyException Error(YamlNode node, string message) => new($"{_source}:{node.Start.Line}:{node.Start.Column}: {message}");

        private string PathOf(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

        private YamlNode Take(string key)
        {
            _taken.Add(key);
            return _node.Children.TryGetValue(new YamlScalarNode(key), out var value)
                ? value
                : throw Error(_node, $"missing key {PathOf(key)}");
        }

        private string Scalar(string key, string expected)
        {
            var node = Take(key);
            return node is YamlScalarNode { Value: { } text } && text.Length > 0 ? text : throw Error(node, $"{PathOf(key)} must be {expected}");
        }

        public Section Child(string key) => new(_source, PathOf(key), Take(key));

        /// <summary>True when the mapping has <paramref name="key"/> (optional sections and keys).</summary>
        public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

        public PolicyException ErrorAt(string key, string message) => Error(_node.Children[new YamlScalarNode(key)], message);

        public int Whole(string key, int low, int high)
        {
            var value = Number(key, low, high);
            return value == Math.Floor(value) ? (int)value : throw ErrorAt(key, $"{PathOf(key)} must be a whole number, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        public IReadOnlyDictionary<string, double> NumberMap(string key, Regex keyPattern, double low, double high)
        {
            var section = Child(key);
            var map = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, _) in section._node.Children)
            {
                var text = (name as YamlScalarNode)?.Value ?? "";
                if (!keyPattern.IsMatch(text)) throw section.Error(name, $"{section.PathOf(text)}: '{text}' is not an instrument symbol (must match {keyPattern})");
                map[text] = section.Number(text, low, high);
            }
            return map;
        }

        public string Text(string key, Regex? pattern = null)
        {
            var text = Scalar(key, "text");
            if (pattern is not null && !pattern.IsMatch(text)) throw Error(_node.Children[new YamlScalarNode(key)], $"{PathOf(key)} '{text}' does not match {pattern}");
            return text;
        }

        public string Choice(string key, string[] allowed)
        {
            var text = Scalar(key, $"one of {string.Join(", ", allowed)}");
            return allowed.Contains(text, StringComparer.Ordinal) ? text : throw Error(_node.Children[new YamlScalarNode(key)], $"{PathOf(key)} '{text}' is not one of {string.Join(", ", allowed)}");
        }

        public bool Flag(string key)
        {
            var text = Scalar(key, "true or false");
            return text switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(_node.Children[new YamlScalarNode(key)], $"{PathOf(key)} must be true or false, got '{text}'"),
            };
        }

        public double Number(string key, double low, double high, bool lowOpen = false, bool highOpen = false)
        {
            var text = Scalar(key, "a number");
            var node = _node.Children[new YamlScalarNode(key)];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw Error(node, $"{PathOf(key)} must be a number, got '{text}'");
            var inRange = (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
            if (!inRange)
            {
                var range = $"{(lowOpen ? "(" : "[")}{low.ToString(CultureInfo.InvariantCulture)}, {(high == double.MaxValue ? "∞" : high.ToString(CultureInfo.InvariantCulture))}{(highOpen ? ")" : "]")}";
                throw Error(node, $"{PathOf(key)} = {text} is outside {range}");
            }
            return value;
        }

        public IReadOnlyList<string> TextList(string key, Regex pattern, bool allowEmpty = false)
        {
            var node = Take(key);
            if (node is not YamlSequenceNode sequence || (sequence.Children.Count == 0 && !allowEmpty))
                throw Error(node, $"{PathOf(key)} must be a {(allowEmpty ? "" : "non-empty ")}list");
            var values = new List<string>();
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode { Value: { } text } || !pattern.IsMatch(text))
                    throw Error(item, $"{PathOf(key)} entries must match {pattern}, got '{(item as YamlScalarNode)?.Value}'");
                if (values.Contains(text, StringComparer.Ordinal)) throw Error(item, $"{PathOf(key)} lists '{text}' twice");
                values.Add(text);
            }
            return values;
        }

        public void RefuseUnknown()
        {
            foreach (var (keyNode, _) in _node.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? "?";
                if (!_taken.Contains(name)) throw Error(keyNode, $"unknown key {PathOf(name)} (expected {string.Join(", ", _taken)})");
            }
        }
    }
}
