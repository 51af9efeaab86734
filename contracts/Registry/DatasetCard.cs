namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>What data a model was built and evaluated on, so a reviewer can tell what it has and has not seen.</summary>
/// <param name="Source">Where the data came from (a store table, a file, a vendor).</param>
/// <param name="From">First day used (inclusive), ISO date.</param>
/// <param name="To">Day after the last used, ISO date.</param>
/// <param name="Instruments">Number of instruments.</param>
/// <param name="Rows">Rows read.</param>
/// <param name="Notes">Known biases and gaps (survivorship, adjustments, missing days).</param>
public sealed record DatasetCard(string Source, string From, string To, int Instruments, long Rows, string Notes);
