namespace CroweLogic.Flow.Gateways.Execution;

/// <summary>
/// Keeps each venue's scorecard current from what happens to the children sent there: exponentially weighted fill
/// rate, order-entry latency and post-fill markout (blueprint §17.4), with a prior so a new venue is neither trusted
/// nor shunned.
/// </summary>
/// <param name="halfLife">Observations after which an old one weighs half.</param>
public sealed class VenueScorecards(double halfLife = 50)
{
    private readonly Dictionary<string, (double Fill, double Latency, double Markout, int Count)> _stats = [];
    private readonly double _decay = Math.Pow(0.5, 1 / halfLife);

    /// <summary>Records a child's outcome; <paramref name="markoutBps"/> NaN when it is measured later (<see cref="RecordMarkout"/>).</summary>
    public void Record(string venue, double sent, double filled, double latencyMicros, double markoutBps)
    {
        if (!(sent > 0) || filled < 0 || filled > sent) throw new ArgumentException($"venue {venue}: filled {filled} of sent {sent} is not a valid outcome");
        if (!(latencyMicros >= 0)) throw new ArgumentException($"venue {venue}: latency {latencyMicros} µs is not a valid outcome");
        var rate = filled / sent;
        var (f, l, m, n) = _stats.GetValueOrDefault(venue, (0.5, latencyMicros, 0, 0));
        _stats[venue] = (_decay * f + (1 - _decay) * rate, _decay * l + (1 - _decay) * latencyMicros, filled > 0 && double.IsFinite(markoutBps) ? _decay * m + (1 - _decay) * markoutBps : m, n + 1);
    }

    /// <summary>Records the markout of a fill at a venue, measured once the horizon after it has passed.</summary>
    public void RecordMarkout(string venue, double markoutBps)
    {
        if (!double.IsFinite(markoutBps)) throw new ArgumentException($"venue {venue}: markout {markoutBps} bps is not a valid outcome");
        var (f, l, m, n) = _stats.GetValueOrDefault(venue, (0.5, 0, 0, 0));
        _stats[venue] = (f, l, _decay * m + (1 - _decay) * markoutBps, n);
    }

    /// <summary>The scorecard for routing now.</summary>
    public VenueScorecard Scorecard(string venue, double displayed, double feeBps)
    {
        var (f, l, m, _) = _stats.GetValueOrDefault(venue, (0.5, 0, 0, 0));
        return new VenueScorecard(venue, displayed, feeBps, f, l, m);
    }

    /// <summary>Observations recorded for a venue.</summary>
    public int Observations(string venue) => _stats.TryGetValue(venue, out var s) ? s.Count : 0;
}
