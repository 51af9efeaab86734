namespace CroweLogic.Flow.Quant;

/// <summary>Input a routine cannot work with (non-finite values, empty or constant series, a matrix that is not PSD…); the message names the problem.</summary>
public sealed class QuantInputException(string message) : ArgumentException(message);
