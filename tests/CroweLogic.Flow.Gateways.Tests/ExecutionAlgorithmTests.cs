using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Execution;
using CroweLogic.Flow.Quant.Execution;
using FsCheck;
using FsCheck.Fluent;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Schedules against their definitions and the caps as properties, with a simulated market that fills children.</summary>
public class ExecutionAlgorithmTests
{
    private const long Second = 1_000_000_000;
    private static readonly ParentOrder Parent = new("p1", "MSFT", Side.Buy, 10_000, 0, 600 * Second);

    private static MarketSnapshot At(long ts, long volume = 0, double bid = 99.99, double ask = 100.01, double askSize = 1_000) => new(ts, bid, ask, 1_000, askSize, volume);

    [Fact]
    public void Twap_targets_step_up_by_one_slice_at_each_slice_start()
    {
        var twap = new TwapAlgorithm(Parent, slices: 10);
        for (var k = 0; k < 10; k++)
        {
            var sliceStart = k * 60 * Second;
            Assert.Equal(1_000 * (k + 1), twap.TargetFilled(sliceStart, At(sliceStart)));
            Assert.Equal(1_000 * (k + 1), twap.TargetFilled(sliceStart + 59 * Second, At(sliceStart + 59 * Second)));
        }
        Assert.Equal(10_000, twap.TargetFilled(Parent.EndNs, At(Parent.EndNs)));
    }

    [Fact]
    public void Twap_run_to_completion_sends_one_slice_per_interval_and_finishes_on_time()
    {
        var twap = new TwapAlgorithm(Parent, slices: 10, new AlgoLimits(LotSize: 100, MinInterval: Second));
        var (filled, children) = Simulate(twap, Parent, fillRate: 1.0);
        Assert.Equal(10_000, filled);
        // With immediate fills the child at each slice start is exactly one slice.
        Assert.All(children.Take(10), c => Assert.Equal(1_000, c.Quantity));
    }

    [Fact]
    public void Vwap_follows_the_cumulative_volume_profile()
    {
        var profile = new double[] { 30, 10, 10, 10, 40 }; // U-shaped day in five buckets
        var vwap = new VwapAlgorithm(Parent, profile);
        Assert.Equal(0, vwap.TargetFilled(0, At(0)));
        Assert.Equal(3_000, vwap.TargetFilled(120 * Second, At(120 * Second)));
        Assert.Equal(3_500, vwap.TargetFilled(180 * Second, At(180 * Second))); // half way through bucket 2
        Assert.Equal(6_000, vwap.TargetFilled(480 * Second, At(480 * Second)));
        Assert.Equal(10_000, vwap.TargetFilled(600 * Second, At(600 * Second)));
        Assert.Throws<ArgumentException>(() => new VwapAlgorithm(Parent, [0, 0]));
    }

    [Fact]
    public void Pov_never_exceeds_its_participation_cap() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 100_000)), seed =>
        {
            var rnd = new Random(seed);
            var rate = 0.02 + 0.3 * rnd.NextDouble();
            var pov = new PovAlgorithm(Parent, rate, new AlgoLimits(LotSize: 10, MinInterval: Second, Jitter: 0.2), seed);
            long volume = 0, filled = 0, working = 0;
            for (var t = 0L; t <= Parent.EndNs; t += Second)
            {
                volume += rnd.Next(0, 400);
                // Some working quantity fills, adding to market volume as well.
                var fills = (long)(working * rnd.NextDouble());
                (filled, working, volume) = (filled + fills, working - fills, volume + fills);
                foreach (var child in pov.Decide(At(t, volume), new ExecutionProgress(filled, working))) working += child.Quantity;
                if (filled + working > rate * volume + 1e-9) return false.Label($"at {t / Second} s: {filled + working} > {rate:F3} × {volume}");
            }
            return true.Label("cap held");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    [Fact]
    public void Implementation_shortfall_targets_are_the_almgren_chriss_trajectory()
    {
        // The paper's example scaled to the parent: X = 10 000, 5 intervals, risk-averse.
        var model = new AlmgrenChriss(10_000, 5, 5, 0.95, 0.0625, 2.5e-7, 2.5e-6, 1e-6);
        var algo = new ImplementationShortfallAlgorithm(Parent, model);
        var holdings = model.Holdings();
        for (var k = 0; k < 5; k++)
        {
            var ts = k * 120 * Second + Second;
            Assert.Equal(Math.Round(10_000 - holdings[k + 1]), algo.TargetFilled(ts, At(ts)));
        }
        Assert.True(holdings[1] < 10_000 - 2_000, "a risk-averse trader front-loads");
        var neutral = new ImplementationShortfallAlgorithm(Parent, model with { RiskAversion = 0 });
        Assert.Equal(2_000, neutral.TargetFilled(Second, At(Second)));
        Assert.Throws<ArgumentException>(() => new ImplementationShortfallAlgorithm(Parent, model with { Shares = 5 }));
    }

    [Fact]
    public void Children_are_throttled_lot_sized_and_priced_by_schedule_position()
    {
        var twap = new TwapAlgorithm(Parent, slices: 10, new AlgoLimits(LotSize: 100, MinInterval: 5 * Second, CatchUpLots: 5));
        var first = twap.Decide(At(0), new ExecutionProgress(0, 0)).Single();
        Assert.Equal((1_000L, 99.99, TimeInForce.Day), (first.Quantity, first.LimitPrice!.Value, first.TimeInForce));
        Assert.Empty(twap.Decide(At(2 * Second), new ExecutionProgress(0, 0))); // throttled
        // Far behind at 300 s (target 6 000, nothing done): cross the spread.
        var catchUp = twap.Decide(At(300 * Second), new ExecutionProgress(0, 0)).Single();
        Assert.Equal((100.01, TimeInForce.Ioc, "catch-up"), (catchUp.LimitPrice!.Value, catchUp.TimeInForce, catchUp.Reason));
        Assert.Equal(0, catchUp.Quantity % 100);
        var limited = new TwapAlgorithm(Parent with { LimitPrice = 100.0 }, 10, new AlgoLimits(LotSize: 100));
        Assert.Equal(100.0, limited.Decide(At(300 * Second), new ExecutionProgress(0, 0)).Single().LimitPrice);
    }

    [Fact]
    public void A_passive_only_parent_joins_the_touch_when_behind_and_crosses_only_at_its_end()
    {
        var twap = new TwapAlgorithm(Parent, slices: 10, new AlgoLimits(LotSize: 100, MinInterval: 5 * Second, CatchUpLots: 5) { PassiveOnly = true });
        twap.Decide(At(0), new ExecutionProgress(0, 0));
        // Far behind at 300 s, as above: a passive-only parent still joins the near touch.
        var behind = twap.Decide(At(300 * Second), new ExecutionProgress(0, 0)).Single();
        Assert.Equal((99.99, TimeInForce.Day, "schedule"), (behind.LimitPrice!.Value, behind.TimeInForce, behind.Reason));
        var end = twap.Decide(At(Parent.EndNs - Parent.StartNs), new ExecutionProgress(1_000, 0)).Single();
        Assert.Equal((100.01, TimeInForce.Ioc), (end.LimitPrice!.Value, end.TimeInForce));
    }

    [Fact]
    public void Jitter_is_bounded_and_reproducible()
    {
        List<long> Sizes(int seed)
        {
            var twap = new TwapAlgorithm(Parent, 10, new AlgoLimits(LotSize: 10, MinInterval: Second, Jitter: 0.3), seed);
            return Simulate(twap, Parent, 1.0).Children.Select(c => c.Quantity).ToList();
        }
        Assert.Equal(Sizes(5), Sizes(5));
        Assert.NotEqual(Sizes(5), Sizes(6));
        Assert.All(Sizes(5), q => Assert.True(q <= 10_000 && q % 10 == 0));
    }

    [Fact]
    public void Liquidity_seeking_takes_displayed_size_only_when_the_spread_is_tight()
    {
        var seeker = new LiquiditySeekingAlgorithm(Parent, maxSpread: 0.02, minimumPace: 0.5, new AlgoLimits(LotSize: 100, MinInterval: 0));
        var wide = seeker.Decide(At(60 * Second, bid: 99.95, ask: 100.05), new ExecutionProgress(0, 0)).Single();
        Assert.Equal((500L, 99.95), (wide.Quantity, wide.LimitPrice!.Value)); // minimum pace: 10 % of the window × 50 %
        var tight = seeker.Decide(At(61 * Second, askSize: 1_700), new ExecutionProgress(0, 500)).Single();
        Assert.Equal((1_700L, 100.01, TimeInForce.Ioc), (tight.Quantity, tight.LimitPrice!.Value, tight.TimeInForce));
    }

    [Fact]
    public void The_ladder_prices_passive_children_at_the_best_expected_value_offset()
    {
        LadderState State(MarketSnapshot m) => new(m.Ask - m.Bid, 0, 0, QueueAhead: 5_000, TouchDepletionRate: 100, Horizon: 60);
        var ladder = new LadderAlgorithm(Parent, 10, tickSize: 0.01, maxTicks: 5, fee: -0.002, depthPerPriceUnit: 50_000, State);
        var snapshot = At(0);
        var expected = SmartLimitLadder.Choose(ladder.Candidates, State(snapshot), -0.002, 50_000).Offset;
        var child = ladder.Decide(snapshot, new ExecutionProgress(0, 0)).Single();
        Assert.Equal(99.99 - expected, child.LimitPrice!.Value, 12);
    }

    [Fact]
    public void Invalid_parents_and_limits_are_refused()
    {
        Assert.Contains("quantity must be positive", Assert.Throws<ArgumentException>(() => new TwapAlgorithm(Parent with { Quantity = 0 }, 5)).Message);
        Assert.Contains("end time", Assert.Throws<ArgumentException>(() => new TwapAlgorithm(Parent with { EndNs = 0 }, 5)).Message);
        Assert.Contains("participation cap", Assert.Throws<ArgumentException>(() => new TwapAlgorithm(Parent, 5, new AlgoLimits(MaxParticipation: 2))).Message);
        Assert.Throws<ArgumentException>(() => new PovAlgorithm(Parent, 0));
    }

    // Runs an algorithm each second over the window; children fill at the given fraction immediately.
    private static (long Filled, List<ChildOrder> Children) Simulate(ExecutionAlgorithm algo, ParentOrder parent, double fillRate)
    {
        long filled = 0;
        var children = new List<ChildOrder>();
        for (var t = parent.StartNs; t <= parent.EndNs; t += Second)
        {
            foreach (var child in algo.Decide(At(t, volume: t / Second * 1_000), new ExecutionProgress(filled, 0)))
            {
                children.Add(child);
                filled += (long)(child.Quantity * fillRate);
            }
        }
        return (filled, children);
    }
}

public class VolumeProfileTests
{
    [Fact]
    public void The_profile_averages_each_days_normalised_bucket_shares()
    {
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        CroweLogic.Flow.Contracts.Events.Bar At(int day, int hour, int minute, double volume)
        {
            var local = new DateTime(2024, 3, day, hour, minute, 0, DateTimeKind.Unspecified);
            var utc = TimeZoneInfo.ConvertTimeToUtc(local, ny);
            return new("IBM", CroweLogic.Flow.Contracts.Time.Nanos.FromDateTime(utc), 1, 1, 1, 1, volume, null, 1, null);
        }
        // Two 2-hour "sessions" split in two buckets: day 4 has 300/100, day 5 has 100/100 (and a pre-session bar ignored).
        var bars = new[] { At(4, 9, 30, 300), At(4, 10, 45, 100), At(5, 9, 45, 100), At(5, 11, 0, 100), At(5, 8, 0, 5_000) };
        var profile = VolumeProfile.FromBars(bars, new TimeOnly(9, 30), new TimeOnly(11, 30), 2, ny);
        Assert.Equal(new[] { (0.75 + 0.5) / 2, (0.25 + 0.5) / 2 }, profile);
        Assert.Throws<ArgumentException>(() => VolumeProfile.FromBars([], new TimeOnly(9, 30), new TimeOnly(16, 0), 13, ny));
    }
}
