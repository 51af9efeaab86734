using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>The HTTP interface's metrics: requests by status and user, their duration, rows read and bytes answered.</summary>
public static class ClickHouseHttpTelemetry
{
    /// <summary>The Meter's name.</summary>
    public const string Name = "CroweLogic.Flow.ClickHouseHttp";

    private static readonly Meter Meter = new(Name);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("flow.sql_http.requests", "{request}", "Requests to the ClickHouse HTTP interface, by HTTP status and user");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("flow.sql_http.request.duration", "s", "ClickHouse HTTP request duration",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Flight.FlightTelemetry.SecondsBuckets });
    private static readonly Counter<long> RowsRead = Meter.CreateCounter<long>("flow.sql_http.rows_read", "{row}", "Rows the engine read for HTTP requests");
    private static readonly Counter<long> BytesSent = Meter.CreateCounter<long>("flow.sql_http.sent", "By", "Result bytes answered (before HTTP compression)");

    /// <summary>Records one request.</summary>
    internal static void Request(int status, string user, long startedTimestamp, ulong rowsRead, long bytes)
    {
        var tags = new TagList { { "http.response.status_code", status }, { "user", user } };
        Requests.Add(1, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tags);
        if (rowsRead > 0) RowsRead.Add((long)rowsRead, tags);
        if (bytes > 0) BytesSent.Add(bytes, tags);
    }
}
