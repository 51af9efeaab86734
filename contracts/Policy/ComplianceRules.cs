namespace CroweLogic.Flow.Contracts.Policy;

/// <summary>The policy's <c>compliance</c> section.</summary>
/// <param name="Restricted">Instruments the lane may not trade.</param>
/// <param name="MaxPositionWeight">Largest absolute position in one instrument after the order, as a fraction of equity.</param>
/// <param name="Locates">Shares located for short selling, by instrument; an instrument missing here has none.
/// Null means a general locate (easy-to-borrow list) covers every instrument.</param>
/// <param name="UptickRule">Apply the short-sale uptick rule: a short sale may not execute on a downtick.</param>
/// <param name="WashWindowSeconds">An order that reverses a fill in the same instrument within this many seconds is a wash-trade risk and is refused.</param>
public sealed record ComplianceRules(IReadOnlyList<string> Restricted, double MaxPositionWeight, IReadOnlyDictionary<string, double>? Locates, bool UptickRule, double WashWindowSeconds)
{
    /// <summary>Nothing restricted, 10 % per name, general locate, uptick rule on, 1 s wash window.</summary>
    public static ComplianceRules Default { get; } = new([], 0.10, null, true, 1);
}
