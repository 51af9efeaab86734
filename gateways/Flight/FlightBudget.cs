namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>Limits on ad-hoc SQL tickets: the engine stops a query that exceeds them, and the service maps that to a Flight status.</summary>
/// <param name="MaxRows">Most rows one SQL ticket may return.</param>
/// <param name="MaxBytes">Most uncompressed result bytes one SQL ticket may return.</param>
/// <param name="Timeout">Longest a SQL ticket may run, waiting for the engine included.</param>
public sealed record FlightBudget(long MaxRows, long MaxBytes, TimeSpan Timeout)
{
    /// <summary>100 million rows, 8 GiB, 5 minutes.</summary>
    public static FlightBudget Default { get; } = new(100_000_000, 8L << 30, TimeSpan.FromMinutes(5));

    /// <summary>Checks the values are usable.</summary>
    /// <exception cref="FlightConfigurationException">A limit is not positive.</exception>
    public FlightBudget Validated()
    {
        if (MaxRows <= 0) throw new FlightConfigurationException($"the SQL row budget must be positive, got {MaxRows}");
        if (MaxBytes <= 0) throw new FlightConfigurationException($"the SQL byte budget must be positive, got {MaxBytes}");
        if (Timeout <= TimeSpan.Zero) throw new FlightConfigurationException($"the SQL timeout must be positive, got {Timeout}");
        return this;
    }
}
