namespace CroweLogic.Flow.Workflows.Signing;

/// <summary>A person's decision sent to a workflow.</summary>
/// <param name="Who">Who decides (recorded in the audit log).</param>
/// <param name="Note">Why.</param>
public sealed record ApprovalSignal(string Who, string Note);
