using CroweLogic.Flow.Activities.Research;

namespace CroweLogic.Flow.Activities.Registry;

/// <summary>The research winner to register as a candidate, with the selection statistics of its performance card.</summary>
/// <param name="Pod">The quant pod that owns it.</param>
/// <param name="Winner">The selected trial.</param>
/// <param name="Trials">How many trials it was selected from (the deflation's N).</param>
/// <param name="DeflatedSharpe">Deflated Sharpe ratio of the winner.</param>
public sealed record CandidateRegistration(string Pod, CandidateResult Winner, int Trials, double DeflatedSharpe);
