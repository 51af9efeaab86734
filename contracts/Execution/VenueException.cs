namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>A venue cannot be reached, refused our credentials, or answered in a way the client cannot use; the message says which.</summary>
public sealed class VenueException : Exception
{
    /// <summary>An error with its message.</summary>
    public VenueException(string message) : base(message)
    {
    }

    /// <summary>An error with its message and cause.</summary>
    public VenueException(string message, Exception inner) : base(message, inner)
    {
    }
}
