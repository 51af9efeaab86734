using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// The VaR limit is a hard limit: over 10 000 randomized sessions of daily bars (2–8 correlated names, random books and
/// σ forecasts, decisions on random days), every book the overlays hand on has a parametric VaR z·√(wᵀΣw) — Σ_ij = σ_i σ_j ρ_ij
/// with ρ from an EWMA of the session's returns the test recomputes by brute force — and a historical VaR over the
/// window's days within the limit, to 1e-9 relative.
/// </summary>
public class VarLimitPropertyTests
{
    private const long Day = 86_400_000_000_000L;

    private static readonly TradingPolicy Policy = PolicyLoader.Parse(PolicyLoaderTests.AppendixA.Replace("  var_limit: 0.015", """
          var_limit: 0.015
          var_methods: [parametric, historical]
          var_window: 30
          covariance_decay: 0.9
          correlation_warm_up: 5
        """, StringComparison.Ordinal).Replace("  dd_intraday: 0.02", "  dd_intraday: 0.5", StringComparison.Ordinal));

    [Fact]
    public void No_book_the_overlays_set_exceeds_the_var_limit()
    {
        Assert.Equal([RiskLimits.Parametric, RiskLimits.Historical], Policy.Risk.VarMethods);
        var checkedBooks = 0;
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            checkedBooks += Session(seed, Policy);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(10_000));
        Assert.True(checkedBooks > 10_000, $"{checkedBooks} books checked");
    }

    [Fact]
    public void Under_the_order_statistic_convention_no_book_exceeds_the_var_limit_either()
    {
        var policy = Policy with { Risk = Policy.Risk with { TailConvention = RiskLimits.OrderStatistic } };
        var checkedBooks = 0;
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            checkedBooks += Session(seed, policy);
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
        Assert.True(checkedBooks > 2_000, $"{checkedBooks} books checked");
    }

    /// <summary>One session; returns how many books it checked.</summary>
    private static int Session(int seed, TradingPolicy policy)
    {
        var random = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var n = random.Next(2, 9);
        var days = random.Next(20, 60);
        var loading = Enumerable.Range(0, n).Select(_ => Gauss()).ToArray();
        var vol = Enumerable.Range(0, n).Select(_ => 0.005 + (0.03 * random.NextDouble())).ToArray();
        var agent = new RiskOverlayAgent(policy, new LaneControl(), new SimulatedClock(), MarketShape.Bars);
        var price = Enumerable.Repeat(100.0, n).ToArray();
        var history = new List<double[]>();
        var sigma = new double[n];
        var book = new double[n];
        var z = Normal.InvCDF(0, 1, policy.Risk.VarConfidence);
        var books = 0;
        for (var d = 1; d <= days; d++)
        {
            var rows = new FeatureRows(n, 0, []);
            var market = Gauss() * 0.01;
            var returns = new double[n];
            for (var i = 0; i < n; i++)
            {
                var r = (loading[i] * market) + (vol[i] * Gauss());
                var before = price[i];
                price[i] *= Math.Exp(r);
                returns[i] = Math.Log(price[i] / before);
                (rows.Rows[i], rows.Ids[i], rows.Ts[i], rows.Mark[i], rows.Open[i]) = (i, i, d * Day, price[i], price[i]);
            }
            rows.Count = n;
            var message = new LaneMessage(new MarketBatch(MarketShape.Bars, new TickBatchBuilder().Build(), d)) { Features = rows, FirstTs = d * Day, LastTs = d * Day };
            if (d > 1 && random.NextDouble() < 0.4)
            {
                var proposed = new TargetSet(0, d * Day);
                foreach (var i in Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.7))
                {
                    sigma[i] = 0.002 + (0.04 * random.NextDouble());
                    var signal = new Signal($"N{i}", d * Day, "1d", 0.001, sigma[i], 0.6, policy.Id);
                    message.Decisions.Add((0, i, new GateDecision(signal, TradeDirection.Long, []), false));
                    proposed.Set(i, (random.NextDouble() - 0.5) * 0.6, "test: proposed");
                }
                message.Targets = [proposed];
            }
            agent.Apply(message);
            foreach (var set in message.Targets)
            {
                foreach (var (id, w) in set.Weights) book[id] = w;
                books++;
                Assert.True(agent.ParametricVar() <= policy.Risk.VarLimit * (1 + 1e-9), $"seed {seed} day {d}: the agent's own VaR {agent.ParametricVar():R}");
                Check(policy, seed, d, book, sigma, history, z);
            }
            // The slice of day d closes when day d + 1 begins: the next decision sees its return.
            history.Add(returns);
        }
        return books;
    }

    private static void Check(TradingPolicy policy, int seed, int day, double[] book, double[] sigma, List<double[]> history, double z)
    {
        var n = book.Length;
        // The history the agent had closed at this decision: every day before this one (the first has no return).
        var closed = history.Skip(1).ToList();
        var lambda = policy.Risk.CovarianceDecay;
        var cov = new double[n, n];
        foreach (var r in closed)
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) cov[i, j] = (lambda * cov[i, j]) + ((1 - lambda) * r[i] * r[j]);
        var correlated = closed.Count >= policy.Risk.CorrelationWarmUp;
        double variance = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var rho = i == j ? 1 : correlated && cov[i, i] > 0 && cov[j, j] > 0 ? cov[i, j] / Math.Sqrt(cov[i, i] * cov[j, j]) : 0;
                variance += book[i] * sigma[i] * book[j] * sigma[j] * rho;
            }
        var parametric = z * Math.Sqrt(Math.Max(0, variance));
        Assert.True(parametric <= policy.Risk.VarLimit * (1 + 1e-9), $"seed {seed} day {day}: parametric VaR {parametric:R} above {policy.Risk.VarLimit}");
        if (closed.Count >= policy.Risk.CorrelationWarmUp)
        {
            var window = closed.TakeLast(policy.Risk.VarWindow).Select(r => r.Select((v, i) => book[i] * (Math.Exp(v) - 1)).Sum()).ToArray();
            var historical = TailRisk.HistoricalVaR(window, policy.Risk.VarConfidence, policy.Risk.TailConvention == RiskLimits.OrderStatistic ? TailConvention.OrderStatistic : TailConvention.Interpolated);
            Assert.True(historical <= policy.Risk.VarLimit * (1 + 1e-9), $"seed {seed} day {day}: historical VaR {historical:R} above {policy.Risk.VarLimit}");
        }
    }
}
