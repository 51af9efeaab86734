namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>A descriptor, ticket or put that the service cannot accept; answered as InvalidArgument with this message.</summary>
public sealed class FlightRequestException(string message) : Exception(message);
