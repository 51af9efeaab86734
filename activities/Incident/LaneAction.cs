namespace CroweLogic.Flow.Activities.Incident;

/// <summary>What a control action found: whether a lane of the deployment was running in this worker and so received it.</summary>
/// <param name="LaneRunning">A lane of the deployment was running and was told.</param>
/// <param name="Detail">What happened.</param>
public sealed record LaneAction(bool LaneRunning, string Detail);
