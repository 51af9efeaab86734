namespace CroweLogic.Flow.Contracts.Events;

/// <summary>Severity of a risk event.</summary>
public enum RiskSeverity
{
    /// <summary>For the record.</summary>
    Info,
    /// <summary>Approaching a limit.</summary>
    Warning,
    /// <summary>A limit was crossed; the guard acted.</summary>
    Breach,
    /// <summary>Stand-down or kill switch.</summary>
    Critical,
}
