using System.Diagnostics;
using System.Diagnostics.Metrics;
using Apache.Arrow;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// Spans and metrics of the Flight service through System.Diagnostics, which the OpenTelemetry SDK (or any listener)
/// collects by the source and meter name <see cref="Name"/>.
/// </summary>
public static class FlightTelemetry
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string Name = "CroweLogic.Flow.Flight";

    internal static readonly ActivitySource Source = new(Name);
    /// <summary>Latency buckets in seconds, from a point query's milliseconds to a minute-long scan (the SDK's defaults suit milliseconds).</summary>
    public static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    internal static readonly Meter Meter = new(Name);
    internal static readonly Counter<long> Rows = Meter.CreateCounter<long>("flow.flight.rows", "{row}", "Rows streamed out (DoGet) or in (DoPut)");
    internal static readonly Counter<long> Bytes = Meter.CreateCounter<long>("flow.flight.bytes", "By", "Arrow buffer bytes streamed out or in");
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("flow.flight.call.duration", "s", "Flight call duration",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    /// <summary>Bytes of a batch's Arrow buffers (what crosses the wire, framing aside).</summary>
    public static long SizeOf(RecordBatch batch)
    {
        long total = 0;
        for (var i = 0; i < batch.ColumnCount; i++) total += SizeOf(batch.Column(i).Data);
        return total;
    }

    private static long SizeOf(ArrayData data)
    {
        long total = 0;
        foreach (var buffer in data.Buffers) total += buffer.Length;
        // Arrays built without children leave the list null, not empty.
        foreach (var child in data.Children ?? []) total += SizeOf(child);
        if (data.Dictionary is not null) total += SizeOf(data.Dictionary);
        return total;
    }
}

/// <summary>One call's span and measurements; disposing records duration and outcome.</summary>
internal sealed class FlightCall : IDisposable
{
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly string _method;
    private string _status = "OK";

    public bool UserSql { get; set; }
    private long _rows;
    private long _bytes;

    public FlightCall(string method, string? principal)
    {
        _method = method;
        _activity = FlightTelemetry.Source.StartActivity($"flight {method}", ActivityKind.Server);
        _activity?.SetTag("rpc.system", "grpc");
        _activity?.SetTag("rpc.service", "arrow.flight.protocol.FlightService");
        _activity?.SetTag("rpc.method", method);
        if (principal is not null) _activity?.SetTag("flow.principal", principal);
    }

    public long Rows => _rows;

    public long Bytes => _bytes;

    public void Tag(string key, object? value) => _activity?.SetTag(key, value);

    public void Count(RecordBatch batch) => Count(batch.Length, FlightTelemetry.SizeOf(batch));

    public void Count(long rows, long bytes)
    {
        _rows += rows;
        _bytes += bytes;
        var method = new KeyValuePair<string, object?>("rpc.method", _method);
        FlightTelemetry.Rows.Add(rows, method);
        FlightTelemetry.Bytes.Add(bytes, method);
    }

    public void Fail(Grpc.Core.StatusCode status, string message)
    {
        _status = status.ToString();
        _activity?.SetStatus(ActivityStatusCode.Error, message);
    }

    public void Dispose()
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        _activity?.SetTag("flow.rows", _rows);
        _activity?.SetTag("flow.bytes", _bytes);
        _activity?.SetTag("rpc.grpc.status_code", _status);
        _activity?.Dispose();
        FlightTelemetry.Duration.Record(seconds, new KeyValuePair<string, object?>("rpc.method", _method), new KeyValuePair<string, object?>("rpc.grpc.status_code", _status));
    }
}
