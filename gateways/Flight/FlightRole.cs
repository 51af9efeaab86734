namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>What a Flight caller may do.</summary>
public enum FlightRole
{
    /// <summary>List, describe and read datasets; run read-only SQL tickets.</summary>
    Read,

    /// <summary>Everything <see cref="Read"/> may, plus DoPut ingest and maintenance actions.</summary>
    ReadWrite,
}

/// <summary>An authenticated Flight caller.</summary>
/// <param name="Name">Principal name (shown in logs, spans and ingest provenance).</param>
/// <param name="Role">What it may do.</param>
public sealed record FlightPrincipal(string Name, FlightRole Role)
{
    /// <summary>True when this principal may act as <paramref name="required"/>.</summary>
    public bool May(FlightRole required) => required == FlightRole.Read || Role == FlightRole.ReadWrite;
}
