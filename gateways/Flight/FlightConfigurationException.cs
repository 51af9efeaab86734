namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>The Flight service's configuration (access file, certificate, budgets) is invalid; the message names the problem.</summary>
public sealed class FlightConfigurationException(string message) : Exception(message);
