using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Contracts.Risk;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// The sector, issuer and stress limits are hard limits: over 3 000 randomized sessions (3–10 names in three sectors,
/// pairs of share classes of one issuer, random books, random path, per-name and LULD scenarios), every book the overlays
/// hand on has each sector's and issuer's net weight and its loss in every scenario — recomputed here by brute force,
/// the LULD band from the Plan's table (10 % doubled for a price above $3) — within the policy's limits, to 1e-9 relative.
/// Each limit must also have bound at least once, or the test proves nothing.
/// </summary>
public class ConcentrationAndStressLimitTests
{
    private const long Day = 86_400_000_000_000L;
    private static readonly string[] Sectors = ["Energy", "Financials", "Utilities"];

    private static readonly TradingPolicy Policy = PolicyLoader.Parse(PolicyLoaderTests.AppendixA.Replace("  var_limit: 0.015", """
          var_limit: 0.015
          sector_limit: 0.12
          issuer_limit: 0.08
          stress_limit: 0.05
          stress_scenarios: [2008-10, flash_crash, luld_halt]
        """, StringComparison.Ordinal).Replace("  dd_intraday: 0.02", "  dd_intraday: 0.5", StringComparison.Ordinal));

    [Fact]
    public void No_book_the_overlays_set_breaches_a_sector_issuer_or_stress_limit()
    {
        var bound = new Dictionary<string, int>(StringComparer.Ordinal);
        var books = 0;
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            books += Session(seed, bound);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3_000));
        Assert.True(books > 3_000, $"{books} books checked");
        foreach (var kind in new[] { "sector_limit", "issuer_limit", "stress_limit" })
            Assert.True(bound.GetValueOrDefault(kind) > 0, $"{kind} never bound: {string.Join(", ", bound.Select(b => $"{b.Key} {b.Value}"))}");
    }

    private static int Session(int seed, Dictionary<string, int> bound)
    {
        var random = new Random(seed);
        var n = random.Next(3, 11);
        var names = new InstrumentIds();
        var classes = new Dictionary<string, InstrumentClass>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var symbol = $"N{i}";
            names.Of(symbol);
            // Names 2k and 2k+1 are two share classes of one issuer; the last name is unclassified (not in the reference).
            if (i < n - 1) classes[symbol] = new InstrumentClass(Sectors[random.Next(Sectors.Length)], $"Issuer {i / 2}");
        }
        var points = random.Next(2, 8);
        var path = Enumerable.Range(0, n - 1).ToDictionary(i => $"N{i}", _ => Enumerable.Range(0, points).Select(_ => (random.NextDouble() - 0.6) * 0.6).ToArray());
        var proxy = Enumerable.Range(0, points).Select(t => path.Values.Average(m => m[t])).ToArray();
        var flash = Enumerable.Range(0, n - 1).ToDictionary(i => $"N{i}", _ => new[] { -0.3 * random.NextDouble(), 0.2 * random.NextDouble() });
        var reference = new PreTradeReference(classes, [
            new StressScenario(StressScenarioNames.October2008, "test path", StressMode.Path, path, proxy),
            new StressScenario(StressScenarioNames.FlashCrash, "test flash", StressMode.WorstPerName, flash, [flash.Values.Average(m => m[0]), flash.Values.Average(m => m[1])]),
            new StressScenario(StressScenarioNames.LuldHalt, "test halt", StressMode.LuldHalt, new Dictionary<string, double[]>(), []),
        ]);
        var agent = new RiskOverlayAgent(Policy, new LaneControl(), new SimulatedClock(), MarketShape.Bars, new PreTradeLimits(Policy, reference, names));
        var book = new double[n];
        var price = Enumerable.Range(0, n).Select(_ => 5 + (200 * random.NextDouble())).ToArray();
        var books = 0;
        for (var d = 1; d <= random.Next(5, 25); d++)
        {
            var rows = new FeatureRows(n, 0, []);
            for (var i = 0; i < n; i++)
            {
                price[i] *= Math.Exp(0.02 * (random.NextDouble() - 0.5));
                (rows.Rows[i], rows.Ids[i], rows.Ts[i], rows.Mark[i], rows.Open[i]) = (i, i, d * Day, price[i], price[i]);
            }
            rows.Count = n;
            var message = new LaneMessage(new MarketBatch(MarketShape.Bars, new TickBatchBuilder().Build(), d)) { Features = rows, FirstTs = d * Day, LastTs = d * Day };
            var proposed = new TargetSet(n, d * Day);
            foreach (var i in Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.7))
            {
                var signal = new Signal($"N{i}", d * Day, "1d", 0.001, 0.002 + (0.03 * random.NextDouble()), 0.6, Policy.Id);
                message.Decisions.Add((0, i, new GateDecision(signal, TradeDirection.Long, []), false));
                proposed.Set(i, (random.NextDouble() - 0.35) * 0.8, "test: proposed");
            }
            message.Targets = [proposed];
            agent.Apply(message);
            foreach (var e in message.RiskEvents) bound[e.Kind] = bound.GetValueOrDefault(e.Kind) + 1;
            foreach (var set in message.Targets)
            {
                foreach (var (id, w) in set.Weights) book[id] = w;
                books++;
                Check(seed, d, book, reference, price);
            }
        }
        return books;
    }

    private static void Check(int seed, int day, double[] book, PreTradeReference reference, double[] price)
    {
        var n = book.Length;
        var classOf = Enumerable.Range(0, n).Select(i => reference.ClassOf($"N{i}")).ToArray();
        foreach (var sector in classOf.Select(c => c.Sector).Distinct())
        {
            var net = Enumerable.Range(0, n).Where(i => classOf[i].Sector == sector).Sum(i => book[i]);
            Assert.True(Math.Abs(net) <= Policy.Risk.SectorLimit!.Value * (1 + 1e-9), $"seed {seed} day {day}: sector {sector} net {net:R}");
        }
        foreach (var issuer in classOf.Select(c => c.Issuer).Distinct())
        {
            var net = Enumerable.Range(0, n).Where(i => classOf[i].Issuer == issuer).Sum(i => book[i]);
            Assert.True(Math.Abs(net) <= Policy.Risk.IssuerLimit!.Value * (1 + 1e-9), $"seed {seed} day {day}: issuer {issuer} net {net:R}");
        }
        var limit = Policy.Risk.StressLimit!.Value * (1 + 1e-9);
        var path = reference.Scenarios[0];
        var worst = Enumerable.Range(0, path.Proxy.Length).Max(t => -Enumerable.Range(0, n).Sum(i => book[i] * path.MovesOf($"N{i}")[t]));
        Assert.True(worst <= limit, $"seed {seed} day {day}: path loss {worst:R}");
        var flash = reference.Scenarios[1];
        var perName = Enumerable.Range(0, n).Sum(i => book[i] == 0 ? 0 : flash.MovesOf($"N{i}").Max(m => -book[i] * m));
        Assert.True(perName <= limit, $"seed {seed} day {day}: flash-crash loss {perName:R}");
        // Every price here is above $3: the Tier 1 band of 5 %, doubled.
        Assert.All(price, p => Assert.True(p > 3));
        var halt = book.Sum(w => Math.Abs(w) * 0.10);
        Assert.True(halt <= limit, $"seed {seed} day {day}: LULD loss {halt:R}");
    }
}
