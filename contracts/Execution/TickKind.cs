namespace CroweLogic.Flow.Contracts.Execution;

/// <summary>Values of the <c>kind</c> column of a tick batch.</summary>
public static class TickKind
{
    /// <summary>A trade print.</summary>
    public const int Trade = 0;

    /// <summary>A top-of-book quote.</summary>
    public const int Quote = 1;
}
