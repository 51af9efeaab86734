namespace CroweLogic.Flow.Storage.Registry;

/// <summary>A registry operation that governance forbids (a single approver unlocking live capital, signing a revoked artifact…).</summary>
public sealed class RegistryRuleException(string message) : Exception(message);
