using Temporalio.Api.Common.V1;

namespace CroweLogic.Flow.Temporal;

/// <summary>
/// Checks a signal's input against what the workflow type declares before the service accepts it: a malformed
/// payload is refused at the door with a message, and never reaches the workflow's history (where it would fail the
/// workflow's task or be dropped by the SDK).
/// </summary>
public interface ISignalValidator
{
    /// <summary>Null when the input fits (or the workflow or signal is not known to the validator); otherwise why not.</summary>
    string? Validate(string workflowType, string signalName, Payloads? input);
}
