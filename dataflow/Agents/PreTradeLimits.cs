using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Risk;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Quant.Risk;

namespace CroweLogic.Flow.Dataflow.Agents;

/// <summary>
/// The book's concentration and stress measures for the risk overlays: the largest net weight of one sector and of one
/// issuer, and the worst loss over the policy's stress scenarios, each per unit of the book's scale (all three are
/// positively homogeneous, so the scale that meets a limit is limit / measure). Instrument ids resolve to their class and
/// scenario moves once, when first seen, so a rebalance walks arrays.
/// </summary>
public sealed class PreTradeLimits
{
    private readonly RiskLimits _limits;
    private readonly PreTradeReference _reference;
    private readonly IInstrumentNames _names;
    private readonly Dictionary<string, int> _sectorIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _issuerIndex = new(StringComparer.Ordinal);
    private readonly List<string> _sectors = [];
    private readonly List<string> _issuers = [];
    private int[] _sector = [];
    private int[] _issuer = [];
    private double[] _sectorNet = [];
    private double[] _issuerNet = [];
    private readonly List<double[]>[] _moves;
    // Reference scenario index of each of the policy's scenarios, in the policy's order (none without a stress limit).
    private readonly int[] _scenarioOf;
    private double[] _prices = [];
    private int _resolved;

    /// <summary>Measures for <paramref name="policy"/>'s limits over <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">The policy sets a stress limit and <paramref name="reference"/> lacks one of its scenarios.</exception>
    public PreTradeLimits(TradingPolicy policy, PreTradeReference reference, IInstrumentNames names)
    {
        (_limits, _reference, _names) = (policy.Risk, reference, names);
        _moves = [.. reference.Scenarios.Select(_ => new List<double[]>())];
        var loaded = reference.Scenarios.Select(s => s.Name).ToList();
        _scenarioOf = _limits.StressLimit is null ? [] : [.. _limits.StressScenarios.Select(name => loaded.IndexOf(name) is var i and >= 0 ? i
            : throw new ArgumentException($"risk.stress_scenarios lists {name}, and the lane was given no such scenario (loaded: {(loaded.Count == 0 ? "none" : string.Join(", ", loaded))})"))];
    }

    /// <summary>The measures of the raw book <paramref name="raw"/> (by instrument id), with last prices from <paramref name="marks"/> for the LULD scenario.</summary>
    public Measures Measure(ReadOnlySpan<double> raw, MarkBook marks)
    {
        Resolve(raw.Length);
        var result = new Measures();
        if (_limits.SectorLimit is not null) (result.Sector, result.SectorName) = Largest(raw, _sector, _sectorNet, _sectors);
        if (_limits.IssuerLimit is not null) (result.Issuer, result.IssuerName) = Largest(raw, _issuer, _issuerNet, _issuers);
        if (_limits.StressLimit is not null)
        {
            var prices = Prices(raw.Length, marks);
            result.Losses = new double[_scenarioOf.Length];
            for (var k = 0; k < _scenarioOf.Length; k++)
            {
                var s = _scenarioOf[k];
                var loss = StressLoss.Of(_reference.Scenarios[s].Mode, raw, _moves[s], prices);
                result.Losses[k] = loss;
                if (loss > result.Stress || result.StressScenario is null) (result.Stress, result.StressScenario) = (loss, _reference.Scenarios[s].Name);
            }
        }
        return result;
    }

    /// <summary>Each rebalance's measures of the book the overlays set (after their scale), in event order, while a stress limit is set: what <c>flow stress</c> reports.</summary>
    public List<Check> History { get; } = [];

    /// <summary>Records a rebalance: the raw book's measures and the scale the book was set at.</summary>
    public void Record(long ts, Measures measures, double scale)
    {
        if (_limits.StressLimit is null) return;
        History.Add(new Check(ts, measures.StressScenario ?? "", measures.Stress * scale, [.. (measures.Losses ?? []).Select(l => l * scale)], measures.Sector * scale, measures.Issuer * scale));
    }

    /// <summary>Each position's loss in <paramref name="scenario"/> for the final weights <paramref name="weights"/> (by id).</summary>
    public double[] Contributions(string scenario, ReadOnlySpan<double> weights, MarkBook marks)
    {
        var s = _reference.Scenarios.Select((x, i) => (x, i)).FirstOrDefault(p => p.x.Name == scenario);
        if (s.x is null) throw new ArgumentException($"no stress scenario {scenario} was loaded");
        Resolve(weights.Length);
        return StressLoss.Contributions(s.x.Mode, weights, _moves[s.i], Prices(weights.Length, marks));
    }

    // The last price of every id below count, for the LULD band (kept in one buffer across rebalances).
    private ReadOnlySpan<double> Prices(int count, MarkBook marks)
    {
        if (_prices.Length < count) _prices = new double[Math.Max(count, _prices.Length * 2)];
        for (var id = 0; id < count; id++) _prices[id] = marks.Mark(id);
        return _prices.AsSpan(0, count);
    }

    /// <summary>The class of an instrument id.</summary>
    public InstrumentClass ClassOf(int id) => _reference.ClassOf(_names.Name(id));

    private static (double Net, string Name) Largest(ReadOnlySpan<double> raw, int[] group, double[] net, List<string> names)
    {
        Array.Clear(net);
        for (var id = 0; id < raw.Length; id++) if (raw[id] != 0) net[group[id]] += raw[id];
        var (worst, at) = (0.0, -1);
        for (var g = 0; g < names.Count; g++) if (Math.Abs(net[g]) > worst) (worst, at) = (Math.Abs(net[g]), g);
        return (worst, at < 0 ? "" : names[at]);
    }

    private void Resolve(int count)
    {
        if (count <= _resolved) return;
        if (_sector.Length < count)
        {
            Array.Resize(ref _sector, Math.Max(count, _sector.Length * 2));
            Array.Resize(ref _issuer, _sector.Length);
        }
        for (var id = _resolved; id < count; id++)
        {
            var symbol = _names.Name(id);
            var c = _reference.ClassOf(symbol);
            _sector[id] = Index(_sectorIndex, _sectors, c.Sector);
            _issuer[id] = Index(_issuerIndex, _issuers, c.Issuer);
            for (var s = 0; s < _moves.Length; s++) _moves[s].Add(_reference.Scenarios[s].MovesOf(symbol));
        }
        _resolved = count;
        if (_sectorNet.Length < _sectors.Count) _sectorNet = new double[_sectors.Count * 2];
        if (_issuerNet.Length < _issuers.Count) _issuerNet = new double[_issuers.Count * 2];
    }

    private static int Index(Dictionary<string, int> index, List<string> names, string name)
    {
        if (index.TryGetValue(name, out var i)) return i;
        index[name] = names.Count;
        names.Add(name);
        return names.Count - 1;
    }

    /// <summary>A book's concentration and stress per unit of its scale (0 where the policy sets no limit) and what they are about.</summary>
    public record struct Measures(double Sector, string SectorName, double Issuer, string IssuerName, double Stress, string? StressScenario)
    {
        /// <summary>The loss in each of the policy's stress scenarios, in its order (null without a stress limit).</summary>
        public double[]? Losses { get; set; }
    }

    /// <summary>One rebalance's book, as set: its worst scenario and loss there, its loss in each of the policy's scenarios (in their order), and its largest sector and issuer net weights (fractions of equity).</summary>
    public sealed record Check(long Ts, string Scenario, double Loss, double[] Losses, double Sector, double Issuer);
}
