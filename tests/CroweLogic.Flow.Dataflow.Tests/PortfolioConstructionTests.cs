using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Models.Portfolio;
using CroweLogic.Flow.Gateways.Venue;
using CroweLogic.Flow.Quant.Data;
using CroweLogic.Flow.Quant.Portfolio;
using CroweLogic.Flow.Quant.Risk;
using MathNet.Numerics.LinearAlgebra;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>
/// The cross-sectional portfolio methods in the lane: at every rebalance the lane's raw targets are quant's output on
/// inputs the test rebuilds from the bars on its own (returns to 1e-12, weights to 1e-9), and a rebalance quant cannot
/// solve is refused with its reason while the lane runs on.
/// </summary>
public class PortfolioConstructionTests
{
    private const long Day = 86_400_000_000_000L;
    private const int Names = 40;

    private static string PolicyText(string method, string portfolio = "", double maxWeight = 0.05) =>
        PolicyLoaderTests.AppendixA.Replace("horizons: [1d, 5d]", "horizons: [5d]").Replace("prob_edge_min: 0.58", "prob_edge_min: 0.51")
            .Replace("sigma_max: 0.03", "sigma_max: 0.5").Replace("method: kelly_tempered", $"method: {method}") + $$"""

        strategy:
          model: cross_sectional_momentum
          lookback: 20
          skip: 2
          rebalance_every: 5
          information_coefficient: 0.1
          max_weight: {{maxWeight.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
        portfolio:
          method: {{method}}
          window: 60
          min_observations: 40
        {{portfolio}}
        """;

    /// <summary>Closes of <see cref="Names"/> names over <paramref name="days"/> sessions, three common factors plus noise (a covariance with structure to find).</summary>
    private static double[][] Closes(int days, int seed = 11)
    {
        var random = new Random(seed);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var loadings = Enumerable.Range(0, Names).Select(_ => new[] { 0.5 + Gauss() * 0.3, Gauss() * 0.5, Gauss() * 0.5 }).ToArray();
        var closes = new double[days][];
        var price = Enumerable.Repeat(50.0, Names).ToArray();
        for (var d = 0; d < days; d++)
        {
            var factors = new[] { 0.01 * Gauss(), 0.006 * Gauss(), 0.004 * Gauss() };
            for (var i = 0; i < Names; i++)
                price[i] *= Math.Exp(((i - 20) * 0.0002) + (loadings[i][0] * factors[0]) + (loadings[i][1] * factors[1]) + (loadings[i][2] * factors[2]) + (0.012 * Gauss()));
            closes[d] = [.. price];
        }
        return closes;
    }

    private static string Symbol(int i) => $"S{i:00}";

    private static async IAsyncEnumerable<LaneMessage> Feed(double[][] closes, int batch = 97)
    {
        var rows = closes.SelectMany((c, d) => c.Select((p, i) => (Symbol(i), (d + 1) * Day, p))).ToList();
        long sequence = 0;
        for (var start = 0; start < rows.Count; start += batch)
        {
            yield return new LaneMessage(new MarketBatch(MarketShape.Bars, BarBatches.Of(rows.Skip(start).Take(batch)), sequence++));
            await Task.Yield();
        }
    }

    private static async Task<(LaneGraph Lane, LaneRecorder Sink, List<PortfolioRebalance> Rebalances)> Run(TradingPolicy policy, double[][] closes)
    {
        var sink = new LaneRecorder();
        var lane = new LaneGraph(policy, new LaneOptions(MarketShape.Bars, new SimulatedClock())
        {
            CleanAlign = CleanAlignSettings.Replay, Execution = names => ExecutionVenues.Replay(policy, false, names),
        }, sink);
        var rebalances = new List<PortfolioRebalance>();
        lane.Portfolio.Rebalanced = rebalances.Add;
        await lane.RunAsync(Feed(closes));
        return (lane, sink, rebalances);
    }

    /// <summary>The test's own return window at a rebalance: log close-to-close returns of the last <paramref name="window"/> sessions up to the signal's session.</summary>
    private static Panel Window(double[][] closes, long ts, IReadOnlyList<int> ids, int window)
    {
        var last = (int)(ts / Day) - 1;
        // The first session has no return, so the window starts at the second.
        var first = Math.Max(1, last - window + 1);
        var rows = new List<double[]>();
        for (var d = first; d <= last; d++) rows.Add([.. ids.Select(i => Math.Log(closes[d][i] / closes[d - 1][i]))]);
        return new Panel([.. ids.Select(Symbol)], [.. rows]);
    }

    private static double[] Reference(string method, PortfolioSettings settings, double cap, PortfolioInputs inputs, Panel returns)
    {
        var n = inputs.Count;
        var sign = inputs.Mu.Select(m => m < 0 ? -1.0 : 1.0).ToArray();
        Matrix<double> Signed(Matrix<double> s) => Matrix<double>.Build.Dense(n, n, (i, j) => sign[i] * sign[j] * s[i, j]);
        PortfolioConstraints Box() => settings.LongOnly ? PortfolioConstraints.Box(n, 0, cap) : PortfolioConstraints.Box(n, -cap, cap, marketNeutral: true);
        switch (method)
        {
            case PortfolioMethods.RobustMvo:
                var lw = settings.Covariance switch
                {
                    CovarianceEstimators.Semicovariance => Covariance.Semicovariance(returns, benchmark: 0, frequency: 1),
                    CovarianceEstimators.ConstantCorrelation => Covariance.LedoitWolfConstantCorrelation(returns, frequency: 1, sample: ShrinkageSample.PairwiseComplete).Matrix,
                    _ => Covariance.LedoitWolf(returns, frequency: 1).Matrix,
                };
                return new MeanVarianceOptimizer(inputs.Mu, lw, Box(), new PortfolioPenalties(WeightL1: settings.L1Penalty, TurnoverL1: settings.TurnoverPenalty, PreviousWeights: inputs.Previous))
                    .MaxQuadraticUtility(settings.RiskAversion).Weights;
            case PortfolioMethods.Hrp:
                var hs = Signed(Covariance.LedoitWolf(returns, frequency: 1).Matrix);
                return [.. HierarchicalRiskParity.Allocate(hs, HierarchicalRiskParity.ToCorrelation(hs)).Weights.Select((x, i) => sign[i] * x)];
            case PortfolioMethods.Erc:
                var es = Signed(Covariance.OracleApproximating(returns, frequency: 1).Matrix);
                return [.. EqualRiskContribution.Weights(es).Select((x, i) => sign[i] * x)];
            default:
                var complete = new Panel(returns.Columns, [.. Enumerable.Range(0, returns.RowCount).Select(t => Enumerable.Range(0, n).Select(i => double.IsNaN(returns[t, i]) ? 0 : returns[t, i]).ToArray())]);
                return new MeanCvarOptimizer(inputs.Mu, complete, settings.CvarBeta, Box()).EfficientRisk(settings.CvarLimit).Weights;
        }
    }

    [Theory]
    [InlineData(PortfolioMethods.RobustMvo, "  turnover_penalty: 0.0005\n  risk_aversion: 20")]
    [InlineData(PortfolioMethods.RobustMvo, "  covariance: semicovariance\n  risk_aversion: 20")]
    [InlineData(PortfolioMethods.RobustMvo, "  covariance: constant_correlation")]
    [InlineData(PortfolioMethods.Hrp, "")]
    [InlineData(PortfolioMethods.Erc, "  covariance: oas")]
    [InlineData(PortfolioMethods.MeanCvar, "  cvar_limit: 0.01")]
    public async Task Every_rebalance_is_quants_output_on_inputs_rebuilt_from_the_bars(string method, string extra)
    {
        var policy = PolicyLoader.Parse(PolicyText(method, extra));
        var closes = Closes(260);
        var (lane, sink, rebalances) = await Run(policy, closes);

        Assert.True(rebalances.Count >= 30, $"{rebalances.Count} rebalances solved");
        Assert.Equal(0, lane.Portfolio.Refused);
        Assert.Null(lane.Overlays.FlatReason);
        Assert.NotEmpty(sink.Orders);
        var settings = policy.PortfolioOrDefault;
        foreach (var r in rebalances)
        {
            var returns = Window(closes, r.Ts, r.Inputs.Ids.Select(id => int.Parse(lane.Instruments.Name(id)[1..], System.Globalization.CultureInfo.InvariantCulture)).ToList(), settings.Window);
            Assert.Equal(returns.RowCount, r.Inputs.Returns.RowCount);
            for (var t = 0; t < returns.RowCount; t++)
                for (var i = 0; i < returns.ColumnCount; i++)
                {
                    var (expected, actual) = (returns[t, i], r.Inputs.Returns[t, i]);
                    Assert.True(double.IsNaN(expected) ? double.IsNaN(actual) : Math.Abs(expected - actual) <= 1e-12, $"return ({t}, {i}) at {r.Ts / Day}: {actual} vs {expected}");
                }
            var reference = Reference(method, settings, policy.StrategyOrDefault.MaxWeight, r.Inputs, returns);
            for (var i = 0; i < reference.Length; i++)
                Assert.True(Math.Abs(reference[i] - r.Weights[i]) <= 1e-9, $"{method} weight {i} at session {r.Ts / Day}: lane {r.Weights[i]:R}, quant {reference[i]:R}");
        }
        // What the agent handed the overlays is the model's weights.
        var last = rebalances[^1];
        for (var i = 0; i < last.Inputs.Count; i++)
            Assert.Equal(last.Weights[i], lane.Portfolio.Book.GetValueOrDefault(last.Inputs.Ids[i]));
    }

    [Fact]
    public async Task Round_lots_are_sized_by_cp_sat_per_side_as_quant_sizes_them()
    {
        var policy = PolicyLoader.Parse(PolicyText(PortfolioMethods.RobustMvo, "  lot_size: 100"));
        var (lane, sink, _) = await Run(policy, Closes(200));

        Assert.NotEmpty(sink.Orders);
        // Every target the router set is a whole number of lots.
        foreach (var order in sink.Orders)
        {
            var line = order.Reasons[^1];
            var target = double.Parse(System.Text.RegularExpressions.Regex.Match(line, @"→ (-?\d+) shares").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(target % 100 == 0, line);
        }
        // Each side the router rounded is CP-SAT's optimum on the same inputs: the same tracking error, within the side's capital.
        var sides = lane.Router.Lots.Recent.ToList();
        Assert.NotEmpty(sides);
        foreach (var side in sides)
        {
            var again = LotRounding.Round(side.Weights, side.Prices, side.Capital, [.. Enumerable.Repeat(100, side.Ids.Length)]);
            Assert.True(side.Result.Optimal && again.Optimal);
            Assert.Equal(again.TrackingError, side.Result.TrackingError, 1e-6);
            Assert.True(side.Result.Leftover >= 0);
            Assert.All(side.Result.Shares, s => Assert.Equal(0, s % 100));
        }
    }

    [Fact]
    public async Task An_infeasible_budget_is_refused_with_its_reason_and_the_book_kept()
    {
        // Long-only and fully invested with at most 1 % a name needs a hundred names; a rebalance passes about a dozen.
        var policy = PolicyLoader.Parse(PolicyText(PortfolioMethods.RobustMvo, "  long_only: true", maxWeight: 0.01));
        var (lane, sink, rebalances) = await Run(policy, Closes(200));

        Assert.Empty(rebalances);
        Assert.True(lane.Portfolio.Refused > 10);
        var refused = sink.RiskEvents.Where(e => e.Kind == "rebalance_refused").ToList();
        Assert.Equal(lane.Portfolio.Refused, refused.Count);
        Assert.All(refused, e => Assert.Contains("the bounds cannot meet a weight sum of 1", e.Message, StringComparison.Ordinal));
        Assert.All(refused, e => Assert.EndsWith("the book is kept as it was", e.Message, StringComparison.Ordinal));
        Assert.Empty(sink.Orders);
        Assert.Empty(lane.Portfolio.Book);
        Assert.Null(lane.Overlays.FlatReason);
    }

    [Fact]
    public async Task Names_without_enough_history_sit_out_and_a_rebalance_with_none_is_refused()
    {
        var policy = PolicyLoader.Parse(PolicyText(PortfolioMethods.RobustMvo).Replace("window: 60", "window: 120").Replace("min_observations: 40", "min_observations: 100"));
        var (lane, sink, rebalances) = await Run(policy, Closes(200));

        // Signals start once the model's 63-session volatility is known; a name has 100 returns from session 101 on.
        var refused = sink.RiskEvents.Where(e => e.Kind == "rebalance_refused").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.True(e.Ts / Day <= 101, $"refused at session {e.Ts / Day}"));
        Assert.All(refused, e => Assert.Contains("0 name(s) passed the gate with 100 returns in the window; robust_mvo needs two", e.Message, StringComparison.Ordinal));
        Assert.NotEmpty(rebalances);
        Assert.All(rebalances, r => Assert.True(r.Inputs.Returns.RowCount >= 100 && r.Ts / Day >= 101));
        Assert.DoesNotContain(sink.Orders, o => o.Ts / Day < 101);
        Assert.NotEmpty(sink.Orders);
    }

    [Fact]
    public async Task A_singular_covariance_refuses_erc_and_the_lane_trades_on()
    {
        // Two names with the same prices make the sample covariance singular whenever both are in a rebalance.
        var closes = Closes(200);
        foreach (var day in closes) day[1] = day[0];
        var policy = PolicyLoader.Parse(PolicyText(PortfolioMethods.Erc, "  covariance: sample"));
        var (lane, sink, rebalances) = await Run(policy, closes);

        var refused = sink.RiskEvents.Where(e => e.Kind == "rebalance_refused").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, e => Assert.Contains("equal risk contribution needs a positive definite covariance matrix", e.Message, StringComparison.Ordinal));
        Assert.Equal(lane.Portfolio.Refused, refused.Count);
        Assert.NotEmpty(rebalances);
        Assert.All(rebalances, r => Assert.False(r.Inputs.Ids.Contains(lane.Instruments.Of("S00")) && r.Inputs.Ids.Contains(lane.Instruments.Of("S01"))));
        Assert.Null(lane.Overlays.FlatReason);
        Assert.Null(lane.Control.StandDownReason);
    }
}
