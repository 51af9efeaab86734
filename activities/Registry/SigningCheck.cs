namespace CroweLogic.Flow.Activities.Registry;

/// <summary>One pre-signing check of a candidate.</summary>
/// <param name="Name">policy_valid, risk_caps, reproducible, lane_clean.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Detail">What was seen.</param>
public sealed record SigningCheck(string Name, bool Passed, string Detail);
