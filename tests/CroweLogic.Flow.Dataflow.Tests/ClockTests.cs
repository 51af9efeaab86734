using CroweLogic.Flow.Dataflow.Clocks;

namespace CroweLogic.Flow.Dataflow.Tests;

/// <summary>Wall and simulated clocks: monotonic, anchored to UTC, deterministic in replay.</summary>
public class ClockTests
{
    [Fact]
    public void The_wall_clock_starts_at_utc_now_and_never_goes_back()
    {
        var before = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var clock = new WallClock();
        var first = clock.NowNanos;
        var after = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.InRange(first, before - 1_000_000, after + 1_000_000);
        var previous = first;
        for (var i = 0; i < 100_000; i++)
        {
            var now = clock.NowNanos;
            Assert.True(now >= previous, $"went back from {previous} to {now}");
            previous = now;
        }
    }

    [Fact]
    public void A_wall_clock_step_of_the_system_time_does_not_move_the_lane_backwards()
    {
        var time = new SteppingTime();
        var clock = new WallClock(time);
        var start = clock.NowNanos;
        time.Ticks += TimeSpan.FromSeconds(2).Ticks; // two seconds pass on the monotonic timer
        time.Utc -= TimeSpan.FromHours(1); // and NTP steps the system clock back an hour
        Assert.Equal(start + 2_000_000_000, clock.NowNanos);
    }

    [Fact]
    public void The_simulated_clock_follows_events_and_ignores_late_ones()
    {
        var clock = new SimulatedClock(1_000);
        Assert.Equal(5_000, clock.AdvanceTo(5_000));
        Assert.Equal(5_000, clock.AdvanceTo(4_000));
        Assert.Equal(5_000, clock.NowNanos);
        Parallel.For(0, 10_000, i => clock.AdvanceTo(10_000 + i));
        Assert.Equal(19_999, clock.NowNanos);
    }

    private sealed class SteppingTime : TimeProvider
    {
        public long Ticks { get; set; } = 1_000;

        public DateTimeOffset Utc { get; set; } = new(2026, 1, 2, 15, 0, 0, TimeSpan.Zero);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public override DateTimeOffset GetUtcNow() => Utc;
    }
}
