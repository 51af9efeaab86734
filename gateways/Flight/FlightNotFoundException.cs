namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>A named dataset or action does not exist; answered as NotFound with this message.</summary>
public sealed class FlightNotFoundException(string message) : Exception(message);
