using Apache.Arrow.Types;

namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>The Arrow types the platform's schemas are built from.</summary>
public static class FlowArrowTypes
{
    /// <summary>Event time: nanoseconds since the epoch, UTC (ClickHouse DateTime64(9, 'UTC')).</summary>
    public static readonly TimestampType TimestampNs = new(TimeUnit.Nanosecond, "UTC");
}
