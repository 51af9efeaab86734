namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>A policy file is invalid; the message names the file position, the key path and what was expected.</summary>
public sealed class PolicyException(string message) : Exception(message);
