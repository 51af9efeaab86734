using CroweLogic.Flow.Activities.Research;

namespace CroweLogic.Flow.Workflows.Research;

/// <summary>What research found: every trial, the selection and, when a trial passed, the registered candidate's address.</summary>
/// <param name="Trials">Every trial's result.</param>
/// <param name="Winner">The trial that passed the gates, or null.</param>
/// <param name="DeflatedSharpe">The best trial's DSR.</param>
/// <param name="Reason">Why it was or was not selected.</param>
/// <param name="ArtifactHash">The registered candidate, or null.</param>
public sealed record ResearchOutcome(IReadOnlyList<CandidateResult> Trials, CandidateResult? Winner, double? DeflatedSharpe, string Reason, string? ArtifactHash);
