namespace CroweLogic.Flow.Activities.Rollout;

/// <summary>Run one rollout stage of a deployed artifact on the lane over a window of held-out data.</summary>
/// <param name="Deployment">Deployment id (the rollout's workflow id): incident control reaches the running lane by it.</param>
/// <param name="ArtifactHash">The signed artifact; the lane refuses it unless it verifies.</param>
/// <param name="Stage">shadow, canary or full.</param>
/// <param name="CapitalFraction">Share of the book's capital (0 in shadow).</param>
/// <param name="From">First session of the stage, yyyy-MM-dd.</param>
/// <param name="To">Day after the last session, yyyy-MM-dd.</param>
/// <param name="Speed">Paper pace (event time per wall time) or null to replay as fast as the lane goes.</param>
public sealed record StageRequest(string Deployment, string ArtifactHash, string Stage, double CapitalFraction, string From, string To, double? Speed = null);
