using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Contracts.Time;

namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>Intraday volume profiles for VWAP scheduling, from historical bars.</summary>
public static class VolumeProfile
{
    /// <summary>
    /// The average share of each day's session volume falling in each of <paramref name="buckets"/> equal time buckets
    /// of the session (local exchange time). Each day is normalised first, so heavy days do not dominate; days without
    /// volume are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">No buckets, an empty session, or no bar with volume inside the session.</exception>
    public static double[] FromBars(IEnumerable<Bar> bars, TimeOnly sessionStart, TimeOnly sessionEnd, int buckets, TimeZoneInfo zone) =>
        FromVolumes(bars.Select(b => (b.Ts, b.Volume)), sessionStart, sessionEnd, buckets, zone);

    /// <summary>The same profile from volumes stamped at their time (a minute's volume at its start).</summary>
    /// <exception cref="ArgumentException">No buckets, an empty session, or no volume inside the session.</exception>
    public static double[] FromVolumes(IEnumerable<(long Ts, double Volume)> volumes, TimeOnly sessionStart, TimeOnly sessionEnd, int buckets, TimeZoneInfo zone)
    {
        if (buckets <= 0) throw new ArgumentException("the profile needs at least one bucket");
        var length = (sessionEnd - sessionStart).TotalSeconds;
        if (!(length > 0)) throw new ArgumentException("the session must end after it starts");
        var days = new Dictionary<DateOnly, double[]>();
        foreach (var (ts, volume) in volumes)
        {
            if (!(volume > 0)) continue;
            var local = TimeZoneInfo.ConvertTime(Nanos.ToDateTimeOffset(ts), zone);
            var offset = (TimeOnly.FromDateTime(local.DateTime) - sessionStart).TotalSeconds;
            if (TimeOnly.FromDateTime(local.DateTime) < sessionStart || offset >= length) continue;
            var day = DateOnly.FromDateTime(local.DateTime);
            if (!days.TryGetValue(day, out var bucketVolumes)) days[day] = bucketVolumes = new double[buckets];
            bucketVolumes[Math.Min(buckets - 1, (int)(offset / length * buckets))] += volume;
        }
        if (days.Count == 0) throw new ArgumentException("no volume falls inside the session");
        var profile = new double[buckets];
        foreach (var bucketVolumes in days.Values)
        {
            var total = bucketVolumes.Sum();
            for (var i = 0; i < buckets; i++) profile[i] += bucketVolumes[i] / total / days.Count;
        }
        return profile;
    }
}
