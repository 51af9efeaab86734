using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Dataflow.Lane;

/// <summary>
/// The lane's OpenTelemetry instruments (Meter and ActivitySource <c>CroweLogic.Flow.Lane</c>): per block, messages and
/// events in and out, processing latency and queue depth; per order, the tick-to-order latency and a trace span from the
/// arrival of the triggering batch to the order's last report. Also keeps the tick-to-order latencies in memory for the
/// benchmark when asked to.
/// </summary>
public sealed class LaneTelemetry : IDisposable
{
    /// <summary>Meter and activity source name.</summary>
    public const string Name = "CroweLogic.Flow.Lane";

    private static readonly ActivitySource Source = new(Name);
    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _messages;
    private readonly Counter<long> _events;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _tickToOrder;
    private readonly Counter<long> _orders;
    private readonly Counter<long> _fills;
    private readonly Counter<long> _faults;
    private readonly ConcurrentDictionary<string, Activity> _traces = new(StringComparer.Ordinal);
    private readonly List<Func<(string Block, int Depth)>> _depths = [];
    private readonly Lock _gate = new();
    private List<long>? _latencies;
    private readonly ConcurrentDictionary<string, double> _busy = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments.</summary>
    public LaneTelemetry()
    {
        _messages = _meter.CreateCounter<long>("lane.block.messages", "{message}", "Messages a block took in (direction=in) or passed on (direction=out)");
        _events = _meter.CreateCounter<long>("lane.block.events", "{event}", "Market events in the messages a block processed");
        _duration = _meter.CreateHistogram<double>("lane.block.duration", "ms", "Processing time of one message in one block");
        _tickToOrder = _meter.CreateHistogram<double>("lane.tick_to_order", "ms", "From the triggering batch's arrival to the order leaving the router");
        _orders = _meter.CreateCounter<long>("lane.orders", "{order}", "Orders sent");
        _fills = _meter.CreateCounter<long>("lane.fills", "{fill}", "Fills received");
        _faults = _meter.CreateCounter<long>("lane.block.faults", "{fault}", "Messages on which a block's agent failed");
        _meter.CreateObservableGauge("lane.block.queue_depth", ObserveDepths, "{message}", "Messages waiting in front of a block");
    }

    /// <summary>Keeps every tick-to-order latency (nanoseconds) from now on, for benchmarks.</summary>
    public void RecordLatencies() => _latencies = [];

    /// <summary>Latencies kept since <see cref="RecordLatencies"/>, nanoseconds.</summary>
    public IReadOnlyList<long> Latencies
    {
        get
        {
            lock (_gate) return _latencies is null ? [] : [.. _latencies];
        }
    }

    /// <summary>Time each block spent processing, milliseconds, in the order the blocks first reported (where a run's time goes).</summary>
    public IReadOnlyList<(string Block, double Milliseconds)> Busy => [.. _busy.Select(kv => (kv.Key, kv.Value))];

    internal void Watch(Func<(string Block, int Depth)> depth) => _depths.Add(depth);

    internal void Processed(string block, int events, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("block", block);
        _messages.Add(1, tag, new KeyValuePair<string, object?>("direction", "in"));
        _messages.Add(1, tag, new KeyValuePair<string, object?>("direction", "out"));
        if (events > 0) _events.Add(events, tag);
        _duration.Record(milliseconds, tag);
        _busy.AddOrUpdate(block, milliseconds, (_, total) => total + milliseconds);
    }

    internal void Faulted(string block) => _faults.Add(1, new KeyValuePair<string, object?>("block", block));

    /// <summary>The router sent an order triggered by a batch that arrived at <paramref name="arrival"/>.</summary>
    public void OrderSent(Order order, long arrival)
    {
        var elapsed = Stopwatch.GetElapsedTime(arrival);
        _tickToOrder.Record(elapsed.TotalMilliseconds);
        _orders.Add(1);
        if (_latencies is not null)
        {
            lock (_gate) _latencies.Add((long)(elapsed.Ticks * 100L));
        }
        if (!Source.HasListeners()) return;
        var activity = Source.StartActivity("lane.order", ActivityKind.Internal, default(ActivityContext), startTime: DateTimeOffset.UtcNow - elapsed);
        if (activity is null) return;
        activity.SetTag("order.id", order.OrderId);
        activity.SetTag("order.instrument", order.Instrument);
        activity.SetTag("order.side", order.Side.ToString());
        activity.SetTag("order.quantity", order.Quantity);
        activity.SetTag("policy.id", order.PolicyId);
        activity.AddEvent(new ActivityEvent("routed"));
        // The span outlives this call: detach it from the ambient context so later work is not parented to it.
        Activity.Current = activity.Parent;
        _traces[order.OrderId] = activity;
    }

    /// <summary>A fill on an order.</summary>
    public void OrderFilled(ExecutionReport report)
    {
        _fills.Add(1);
        if (_traces.TryGetValue(report.OrderId, out var activity))
            activity.AddEvent(new ActivityEvent("fill", tags: new ActivityTagsCollection { ["qty"] = report.LastQty, ["price"] = report.LastPrice }));
    }

    /// <summary>The order's last report: its trace ends.</summary>
    public void OrderDone(ExecutionReport report)
    {
        if (!_traces.TryRemove(report.OrderId, out var activity)) return;
        activity.SetTag("order.status", report.Status.ToString());
        activity.SetTag("order.filled", report.CumQty);
        activity.Stop();
    }

    private IEnumerable<Measurement<int>> ObserveDepths()
    {
        foreach (var depth in _depths)
        {
            var (block, count) = depth();
            yield return new Measurement<int>(count, new KeyValuePair<string, object?>("block", block));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var activity in _traces.Values) activity.Stop();
        _traces.Clear();
        _meter.Dispose();
    }
}
