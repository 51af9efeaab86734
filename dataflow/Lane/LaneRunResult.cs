namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>What a run of the lane did, counted at the sink.</summary>
public sealed class LaneRunResult
{
    /// <summary>Messages through the graph (including commands and the end of feed).</summary>
    public long Messages { get; internal set; }

    /// <summary>Market events (rows) through the graph.</summary>
    public long Events { get; internal set; }

    /// <summary>Feature rows computed.</summary>
    public long FeatureRows { get; internal set; }

    /// <summary>Forecasts made.</summary>
    public long Signals { get; internal set; }

    /// <summary>Orders the lane decided (parents, when an execution algorithm works them).</summary>
    public long Orders { get; internal set; }

    /// <summary>Children an execution algorithm sent to the venue for the lane's orders.</summary>
    public long ChildOrders { get; internal set; }

    /// <summary>Fills.</summary>
    public long Fills { get; internal set; }

    /// <summary>Risk events raised.</summary>
    public long RiskEvents { get; internal set; }

    /// <summary>Events held back, by reason.</summary>
    public SortedDictionary<string, long> Quarantined { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the feed was cancelled before its end.</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>Wall time from the first message to the last one through the sink (the sink's flush not included).</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Wall time of the sink's flush after the feed drained (e.g. the store writes of a backtest).</summary>
    public TimeSpan SinkFlush { get; internal set; }

    /// <summary>Events per second over <see cref="Elapsed"/>.</summary>
    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? Events / Elapsed.TotalSeconds : 0;
}
