namespace CroweLogic.Flow.Contracts.Arrow;

/// <summary>A record batch does not fit the contract it is decoded as (missing column, wrong type, null in a required field).</summary>
public sealed class ArrowContractException(string message) : Exception(message);
