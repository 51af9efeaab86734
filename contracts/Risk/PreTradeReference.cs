namespace CroweLogic.Flow.Contracts.Risk;

/// <summary>
/// What the lane's pre-trade risk check needs beyond prices: each instrument's sector and issuer (for
/// <c>risk.sector_limit</c> and <c>risk.issuer_limit</c>) and the policy's stress scenarios (for <c>risk.stress_limit</c>),
/// loaded from the store before the lane starts so a decision never waits on a query.
/// </summary>
/// <param name="Classes">Sector and issuer by symbol; a symbol missing here is <see cref="InstrumentClass.Unknown"/>.</param>
/// <param name="Scenarios">The scenarios of <c>risk.stress_scenarios</c>.</param>
public sealed record PreTradeReference(IReadOnlyDictionary<string, InstrumentClass> Classes, IReadOnlyList<StressScenario> Scenarios)
{
    /// <summary>No classes and no scenarios (a policy without concentration or stress limits).</summary>
    public static PreTradeReference None { get; } = new(new Dictionary<string, InstrumentClass>(), []);

    /// <summary>The class of <paramref name="symbol"/>.</summary>
    public InstrumentClass ClassOf(string symbol) => Classes.TryGetValue(symbol, out var c) ? c : InstrumentClass.Unknown(symbol);
}
