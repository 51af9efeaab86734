using CroweLogic.Flow.Contracts.Execution;
using CroweLogic.Flow.Gateways.Venue;
using Apache.Arrow;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Dataflow.Clocks;
using CroweLogic.Flow.Dataflow.Agents;
using CroweLogic.Flow.Dataflow.Features;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Dataflow.Models;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>The whole graph on synthetic daily bars: batching does not change orders, kill and bad data flatten, a failing agent loses nothing.</summary>
public class LaneGraphTests
{
    private const long Day = 86_400_000_000_000L;

    private static readonly TradingPolicy Policy = PolicyLoader.Parse(PolicyText);

    private static string PolicyText => PolicyLoaderTests.AppendixA.Replace("horizons: [1d, 5d]", "horizons: [5d]").Replace("prob_edge_min: 0.58", "prob_edge_min: 0.51").Replace("sigma_max: 0.03", "sigma_max: 0.5") + """

        strategy:
          model: cross_sectional_momentum
          lookback: 20
          skip: 2
          rebalance_every: 5
          information_coefficient: 0.1
          max_weight: 0.05
        compliance:
          restricted: [S03]
          max_position_weight: 0.04
          uptick_rule: false
          wash_window_seconds: 0
        """;

    /// <summary>(symbol, day, close) rows in time order: 30 random walks, name i drifting (i − 15) · <paramref name="drift"/> a day.</summary>
    private static List<(string Symbol, long Ts, double Close)> Walks(int days, int seed = 7, double drift = 0.0004)
    {
        var random = new Random(seed);
        var price = Enumerable.Range(0, 30).Select(_ => 50.0).ToArray();
        var rows = new List<(string, long, double)>();
        for (var d = 0; d < days; d++)
        {
            for (var i = 0; i < price.Length; i++)
            {
                price[i] *= Math.Exp(((i - 15) * drift) + (0.015 * (random.NextDouble() - 0.5) * 2));
                rows.Add(($"S{i:00}", (d + 1) * Day, price[i]));
            }
        }
        return rows;
    }

    private static RecordBatch Bars(IEnumerable<(string Symbol, long Ts, double Close)> rows) => BarBatches.Of(rows);

    private static async IAsyncEnumerable<LaneMessage> Feed(List<(string Symbol, long Ts, double Close)> rows, int[] cuts, IReadOnlyDictionary<int, LaneCommand>? commands = null)
    {
        var start = 0;
        var sequence = 0L;
        var c = 0;
        while (start < rows.Count)
        {
            if (commands is not null && commands.TryGetValue(start, out var command)) yield return new LaneMessage(command);
            var size = Math.Min(cuts[c++ % cuts.Length], rows.Count - start);
            yield return new LaneMessage(new MarketBatch(MarketShape.Bars, Bars(rows.Skip(start).Take(size)), sequence++));
            start += size;
            await Task.Yield();
        }
    }

    private static async Task<(LaneGraph Lane, LaneRecorder Sink, LaneRunResult Result)> Run(IAsyncEnumerable<LaneMessage> feed, int capacity = 4, ISignalModel? model = null, TradingPolicy? policy = null)
    {
        var sink = new LaneRecorder();
        var lane = new LaneGraph(policy ?? Policy, new LaneOptions(MarketShape.Bars, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Capacity = capacity, Model = model, Execution = Bars(policy ?? Policy) }, sink);
        var result = await lane.RunAsync(feed);
        return (lane, sink, result);
    }

    private static byte[] Bytes(IReadOnlyList<Order> orders)
    {
        using var stream = new MemoryStream();
        using (var writer = new Apache.Arrow.Ipc.ArrowStreamWriter(stream, Order.Arrow.Schema)) writer.WriteRecordBatch(Order.Arrow.Encode([.. orders]));
        return stream.ToArray();
    }

    [Fact]
    public void A_finished_lane_is_collectable_nothing_global_keeps_it()
    {
        // Its meter registers globally until disposed, and the queue-depth gauge reaches every block and agent: a worker
        // that runs a backtest per activity would keep every lane it ever ran.
        var lane = RunAndForget(Walks(30));
        for (var i = 0; i < 5 && lane.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(lane.IsAlive, "a lane that finished its run is still reachable after full collections");
    }

    [Fact]
    public void A_policy_with_concentration_or_stress_limits_needs_their_reference_data_or_a_scenario_it_names()
    {
        var limited = Policy with { Risk = Policy.Risk with { SectorLimit = 0.2, StressLimit = 0.1, StressScenarios = [Contracts.Risk.StressScenarioNames.FlashCrash] } };
        var options = new LaneOptions(MarketShape.Bars, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Execution = Bars(limited) };
        var unloaded = Assert.Throws<ArgumentException>(() => new LaneGraph(limited, options, new LaneRecorder()));
        Assert.Equal($"policy {Policy.Id} sets sector, issuer or stress limits (risk.sector_limit, risk.issuer_limit, risk.stress_limit), which need the instruments' sectors and the stress scenarios: LaneOptions.Reference", unloaded.Message);
        var without = Assert.Throws<ArgumentException>(() => new LaneGraph(limited, options with { Reference = Contracts.Risk.PreTradeReference.None }, new LaneRecorder()));
        Assert.Equal("risk.stress_scenarios lists flash_crash, and the lane was given no such scenario (loaded: none)", without.Message);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunAndForget(List<(string Symbol, long Ts, double Close)> rows)
    {
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Bars, new SimulatedClock()) { CleanAlign = CleanAlignSettings.Replay, Execution = Bars(Policy) }, new LaneRecorder());
        var result = lane.RunAsync(Feed(rows, [64])).GetAwaiter().GetResult();
        Assert.Equal(rows.Count, result.Events);
        Assert.Contains(lane.Telemetry.Busy, b => b.Block == "features");
        return new WeakReference(lane);
    }

    [Fact]
    public async Task Orders_are_byte_identical_however_the_feed_is_cut_and_queued()
    {
        var rows = Walks(160);
        var (_, reference, result) = await Run(Feed(rows, [4096]));
        Assert.True(reference.Orders.Count > 20, $"the strategy should trade, sent {reference.Orders.Count}");
        Assert.Equal(rows.Count, result.Events);
        var random = new Random(3);
        for (var trial = 0; trial < 4; trial++)
        {
            int[] cuts = [.. Enumerable.Range(0, 7).Select(_ => random.Next(1, 200))];
            var (_, other, _) = await Run(Feed(rows, cuts), capacity: random.Next(1, 6));
            Assert.Equal(Bytes(reference.Orders), Bytes(other.Orders));
            Assert.Equal(Bytes(reference.ChildOrders), Bytes(other.ChildOrders));
            Assert.Equal(reference.Reports.Select(r => (r.OrderId, r.LastQty, r.LastPrice)), other.Reports.Select(r => (r.OrderId, r.LastQty, r.LastPrice)));
            Assert.Equal(rows.Count, other.Messages.Sum(m => m.Events));
            Assert.Equal(other.Messages.Select(m => m.Sequence), Enumerable.Range(0, other.Messages.Count).Select(i => (long)i));
        }
        Assert.All(reference.Orders, o => Assert.Equal(Policy.Id, o.PolicyId));
        Assert.All(reference.Orders, o => Assert.Contains(o.Reasons, r => r.StartsWith("gate pass:", StringComparison.Ordinal) || r.StartsWith("overlay:", StringComparison.Ordinal)));
        Assert.DoesNotContain(reference.Orders, o => o.Instrument == "S03" && o.Side == Side.Buy && reference.Orders.All(x => x.Instrument != "S03" || x.Side == Side.Buy));
        Assert.Contains(reference.RiskEvents, e => e.Kind == "restricted" && e.Instrument == "S03");
    }

    [Fact]
    public async Task The_lane_runs_a_signed_policy_and_refuses_an_unsigned_or_tampered_one_before_parsing_it()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var artifact = new ModelArtifact("lane_test", 1, "CR-001", PolicyText, ["xs_momentum@1"], new Dictionary<string, string> { ["lookback"] = "20" },
            new DatasetCard("synthetic", "d1", "d160", 30, 4800, "random walks"), "gross 1.5", new PerformanceCard(new Dictionary<string, double>(), 160, 1, 0.5, 0.5, "-"),
            EngineVersion.Current, ResolvedPolicy.Of(Policy));
        var signature = new ArtifactSignature(artifact.Hash, SigningKeys.KeyId(key.ExportSubjectPublicKeyInfo()), SigningKeys.Algorithm,
            Convert.ToBase64String(key.SignData(SigningKeys.Message(artifact.Hash), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), "test", 1);
        var trust = TrustStore.Of(key.ExportSubjectPublicKeyInfo());
        var signed = new SignedArtifact(artifact, signature);

        var rows = Walks(160);
        var (_, fromArtifact, _) = await Run(Feed(rows, [4096]), policy: SignedPolicyLoader.Load(signed, trust));
        var (_, reference, _) = await Run(Feed(rows, [4096]));
        Assert.Equal(Bytes(reference.Orders), Bytes(fromArtifact.Orders));

        var unsigned = Assert.Throws<ArtifactRejectedException>(() => SignedPolicyLoader.Load(signed with { Signature = null }, trust));
        Assert.Equal("unsigned", unsigned.Reason);
        // Loosening a risk cap after signing is exactly what verification exists to stop; the edited YAML is never parsed.
        var loosened = artifact with { PolicyYaml = PolicyText.Replace("gross_limit: 1.5", "gross_limit: 9") };
        Assert.NotEqual(PolicyText, loosened.PolicyYaml);
        var tampered = Assert.Throws<ArtifactRejectedException>(() => SignedPolicyLoader.Load(signed with { Artifact = loosened }, trust));
        Assert.Equal("tampered", tampered.Reason);
        Assert.Equal(loosened.Hash, tampered.Hash);
        Assert.Equal("tampered", Assert.Throws<ArtifactRejectedException>(() => SignedPolicyLoader.Load(signed with { Artifact = artifact with { PolicyYaml = "not: [yaml" } }, trust)).Reason);

        // Signed under an engine whose defaults resolved the same file to other settings (here: another rescale band):
        // properly signed, yet refused, since this engine would run the model with a behaviour nobody approved.
        var elsewhere = artifact with { EngineVersion = "0.9.0+old", ResolvedPolicy = ResolvedPolicy.Of(Policy with { Risk = Policy.Risk with { RescaleBand = 0.2 } }) };
        var resigned = new SignedArtifact(elsewhere, signature with
        {
            Hash = elsewhere.Hash,
            Value = Convert.ToBase64String(key.SignData(SigningKeys.Message(elsewhere.Hash), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation)),
        });
        var changed = Assert.Throws<ArtifactRejectedException>(() => SignedPolicyLoader.Load(resigned, trust));
        Assert.Equal("defaults_changed", changed.Reason);
        Assert.Contains("was resolved by engine 0.9.0+old; this engine (", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paper_trading_on_a_paced_replay_sends_byte_identical_orders_to_the_backtest()
    {
        var rows = Walks(120);
        var (_, backtest, _) = await Run(Feed(rows, [4096]));
        // 120 sessions in about a second of wall time, on the live clean-align limits scaled to that speed.
        var speed = 120.0 * Day / 1e9;
        var clock = new ReplayClock(speed);
        var sink = new LaneRecorder();
        var lane = new LaneGraph(Policy, new LaneOptions(MarketShape.Bars, clock) { CleanAlign = CleanAlignSettings.Default.ScaledBy(speed), Execution = Bars(Policy) }, sink);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await lane.RunAsync(PacedFeed.Pace(Feed(rows, [4096]), clock));
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(0.8), $"the replay should take about a second of wall time, took {started.Elapsed}");
        Assert.Empty(result.Quarantined);
        Assert.True(result.Messages >= 120, $"the paced feed hands over one session at a time, got {result.Messages} messages");
        Assert.True(backtest.Orders.Count > 20, $"the strategy should trade, sent {backtest.Orders.Count}");
        Assert.Equal(Bytes(backtest.Orders), Bytes(sink.Orders));
        Assert.Equal(Bytes(backtest.ChildOrders), Bytes(sink.ChildOrders));
        Assert.Equal(backtest.Reports.Select(r => (r.OrderId, r.Ts, r.LastQty, r.LastPrice)), sink.Reports.Select(r => (r.OrderId, r.Ts, r.LastQty, r.LastPrice)));
    }

    [Fact]
    public async Task Orders_are_sized_against_the_account_so_costs_never_lever_the_book_past_the_gross_limit()
    {
        // Costs of over 110 bps a side: the account falls well behind what the lane decided, so sizing against anything but
        // the account's own equity and shares would run the book above the gross limit as losses accumulate.
        var policy = PolicyLoader.Parse(PolicyText + """

            costs:
              commission_bps: 10
              half_spread_bps: 100
              impact_coefficient: 1
              borrow_bps_annual: 100
              latency_ms: 1
              initial_equity: 1000000
            """);
        var (lane, sink, _) = await Run(Feed(Walks(400, drift: 0), [250]), policy: policy);
        var sessions = lane.Pnl.Sessions;
        Assert.True(sessions[^1].Equity < 0.7 * policy.CostsOrDefault.InitialEquity, $"costs should bite: equity {sessions[^1].Equity:F0}");
        Assert.True(sink.Orders.Count > 100, $"the strategy should trade, sent {sink.Orders.Count}");
        // Between rebalances (every 5 sessions) weights drift with prices; 10 % headroom covers that on ±1.5 % daily moves.
        var worst = sessions.Max(s => s.Gross / s.Equity);
        Assert.True(worst > 0.5 && worst < policy.Risk.GrossLimit * 1.1, $"gross exposure reached {worst:F3}× equity (limit {policy.Risk.GrossLimit}); final equity {sessions[^1].Equity:F0}");
        // Every order states the equity it was sized on; it is the account's, which only costs and PnL move.
        Assert.All(sink.Orders, o => Assert.Contains(o.Reasons, r => r.StartsWith("router:", StringComparison.Ordinal) && r.Contains("of equity", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_kill_switch_flattens_at_the_next_event_and_nothing_opens_after()
    {
        var rows = Walks(200);
        var killAt = rows.Count * 3 / 4 / 30 * 30;
        var killTs = rows[killAt].Ts - 1;
        var (lane, sink, _) = await Run(Feed(rows, [300], new Dictionary<int, LaneCommand> { [killAt] = new(LaneCommandKind.Kill, killTs, "test operator") }));
        Dictionary<string, double> Book(Func<Order, bool> which)
        {
            var book = new Dictionary<string, double>();
            foreach (var o in sink.Orders.Where(which)) book[o.Instrument] = book.GetValueOrDefault(o.Instrument) + (o.Side == Side.Buy ? o.Quantity : -o.Quantity);
            return book;
        }
        Assert.Contains(Book(o => o.Ts < killTs).Values, q => q != 0);
        // Orders still waiting for their bar were cancelled by the switch; what had filled was closed.
        // The lane's own orders' fills (an algorithm's children are mirrored on their parent).
        var position = sink.Reports.Where(r => r.IsFill && !r.OrderId.Contains('.')).GroupBy(r => r.Instrument).ToDictionary(g => g.Key, g => g.Sum(r => r.SignedLastQty));
        Assert.NotEmpty(position);
        Assert.All(position, p => Assert.Equal(0, p.Value, 6));
        Assert.Contains(sink.Reports, r => r.ExecType == ExecType.Canceled && r.Text.Contains("kill switch: test operator", StringComparison.Ordinal));
        Assert.All(sink.Orders.Where(o => o.Ts > killTs), o => Assert.Contains(o.Reasons, r => r.Contains("kill switch", StringComparison.Ordinal)));
        Assert.Contains(sink.RiskEvents, e => e.Kind == "kill_switch" && e.Ts == killTs);
        Assert.Equal("kill switch: test operator", lane.Overlays.FlatReason);
    }

    [Fact]
    public async Task Bad_data_is_quarantined_and_stands_the_lane_down()
    {
        var rows = Walks(120);
        var bad = rows.Count / 2;
        rows[bad] = (rows[bad].Symbol, rows[bad].Ts, double.NaN);
        var (lane, sink, result) = await Run(Feed(rows, [512]));
        Assert.Equal(1, result.Quarantined[CleanAlignReasons.InvalidValue]);
        Assert.Contains(sink.RiskEvents, e => e.Kind == "data_integrity" && e.Severity == RiskSeverity.Critical && e.Message.Contains(rows[bad].Symbol, StringComparison.Ordinal));
        Assert.Equal(rows.Count, sink.Messages.Sum(m => m.Events));
        Assert.Equal(rows.Count - 1, sink.Messages.Sum(m => m.Accepted));
    }

    [Fact]
    public async Task A_failing_agent_quarantines_its_message_and_stands_down_without_losing_events()
    {
        var rows = Walks(120);
        var model = new FailingModel(new CrossSectionalModel(Policy), failOn: 5);
        var (lane, sink, result) = await Run(Feed(rows, [300]), model: model);
        var faulted = sink.Quarantined.Where(q => q.Event.Reason == "agent_fault:signals").ToList();
        Assert.Equal(300, faulted.Count);
        Assert.Equal(rows.Count, sink.Messages.Sum(m => m.Accepted) + faulted.Count);
        Assert.Contains(sink.RiskEvents, e => e.Kind == "agent_fault" && e.Message.Contains("model broke", StringComparison.Ordinal));
        Assert.NotNull(lane.Control.StandDownReason);
        Assert.Equal(rows.Count, result.Events);
    }

    private sealed class FailingModel(ISignalModel inner, int failOn) : ISignalModel
    {
        private int _calls;

        public string Name => inner.Name;

        public FeatureSet Features => inner.Features;

        public void Forecast(FeatureRows rows, InstrumentIds instruments, List<LaneSignal> output)
        {
            if (++_calls == failOn) throw new InvalidOperationException("model broke");
            inner.Forecast(rows, instruments, output);
        }
    }

    private static Func<IInstrumentNames, IExecutionClient> Bars(TradingPolicy policy) => _ => ExecutionVenues.Replay(policy, false, _);
}
