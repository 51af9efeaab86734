namespace CroweLogic.Flow.Activities.Registry;

/// <summary>A request to put live capital behind an artifact (refused unless two distinct people approved it).</summary>
/// <param name="ArtifactHash">The artifact.</param>
/// <param name="CapitalFraction">Share of the book's capital, in (0, 1].</param>
/// <param name="Stage">The rollout stage asking.</param>
public sealed record LiveGrant(string ArtifactHash, double CapitalFraction, string Stage);
