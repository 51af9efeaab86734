namespace CroweLogic.Flow.Contracts.Risk;

/// <summary>How a stress scenario's moves combine into the loss of a book held through it.</summary>
public enum StressMode
{
    /// <summary>Every name moves together along the scenario's days: the loss is the book's worst point on that path.</summary>
    Path,

    /// <summary>Each name at its worst point against the position (a long at the low, a short at the high), summed: prints that did not happen at once, taken together.</summary>
    WorstPerName,

    /// <summary>Each name moves its full limit-up/limit-down band against the position and halts there, so the position cannot be cut.</summary>
    LuldHalt,
}
