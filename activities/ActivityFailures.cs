using CroweLogic.Flow.Contracts.Registry;
using CroweLogic.Flow.Contracts.Policy;
using CroweLogic.Flow.Storage.Registry;
using Temporalio.Exceptions;

namespace CroweLogic.Flow.Activities;

/// <summary>
/// Turns governance refusals into non-retryable Temporal failures with a stable error type, so a workflow sees the
/// precise reason at once instead of retrying a decision that will not change.
/// </summary>
public static class ActivityFailures
{
    /// <summary>Error type of a registry rule refusal (too few approvers, untrusted key, revoked).</summary>
    public const string RegistryRule = "RegistryRule";

    /// <summary>Error type of an artifact the lane refused to load (unsigned, tampered, revoked...).</summary>
    public const string ArtifactRejected = "ArtifactRejected";

    /// <summary>Error type of an invalid policy file.</summary>
    public const string InvalidPolicy = "InvalidPolicy";

    /// <summary>Error type of a deployment stood down by an incident.</summary>
    public const string StoodDown = "StoodDown";

    /// <summary>Runs <paramref name="body"/>, rethrowing governance refusals as non-retryable application failures.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (RegistryRuleException e)
        {
            throw new ApplicationFailureException(e.Message, e, RegistryRule, nonRetryable: true);
        }
        catch (ArtifactRejectedException e)
        {
            throw new ApplicationFailureException($"{e.Reason}: {e.Message}", e, ArtifactRejected, nonRetryable: true, details: [e.Reason]);
        }
        catch (PolicyException e)
        {
            throw new ApplicationFailureException(e.Message, e, InvalidPolicy, nonRetryable: true);
        }
    }
}
