namespace CroweLogic.Flow.Workflows.Rollout;

/// <summary>One rollout stage: its capital and the window of held-out data it runs on.</summary>
/// <param name="Stage">shadow, canary or full.</param>
/// <param name="CapitalFraction">Capital unlocked for it (0 in shadow).</param>
/// <param name="From">First session, yyyy-MM-dd.</param>
/// <param name="To">Day after the last, yyyy-MM-dd.</param>
/// <param name="Speed">Paper pace, or null to replay as fast as the lane goes.</param>
public sealed record StagePlan(string Stage, double CapitalFraction, string From, string To, double? Speed = null);
