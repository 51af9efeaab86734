using System.Globalization;
using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Policy;

namespace CroweLogic.Flow.Activities.Backtest;

/// <summary>
/// A baseline's policy file with one research parameter set written into its strategy section: the YAML that is
/// backtested is the YAML that gets registered, signed and loaded by the lane, byte for byte.
/// </summary>
public static partial class CandidatePolicy
{
    /// <summary>The baseline's YAML with <c>lookback</c> and <c>skip</c> replaced; checked by parsing it back.</summary>
    /// <exception cref="PolicyException">The baseline has no such keys, or the result does not parse to those values.</exception>
    public static string Yaml(string strategy, int lookback, int skipRecent)
    {
        var yaml = BaselinePolicies.Yaml(strategy);
        var replaced = Set(Set(yaml, LookbackLine(), lookback, "lookback"), SkipLine(), skipRecent, "skip");
        var parsed = PolicyLoader.Parse(replaced, $"{strategy} (lookback {lookback}, skip {skipRecent})").StrategyOrDefault;
        if (parsed.Lookback != lookback || parsed.SkipRecent != skipRecent)
        {
            throw new PolicyException($"{strategy}: writing lookback {lookback} / skip {skipRecent} gave {parsed.Lookback} / {parsed.SkipRecent}");
        }
        return replaced;
    }

    private static string Set(string yaml, Regex line, int value, string key)
    {
        if (line.Matches(yaml).Count != 1) throw new PolicyException($"the baseline policy must have exactly one strategy '{key}:' line to set it");
        return line.Replace(yaml, m => m.Groups[1].Value + value.ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"(?m)^(\s+lookback:\s*)\d+")]
    private static partial Regex LookbackLine();

    [GeneratedRegex(@"(?m)^(\s+skip:\s*)\d+")]
    private static partial Regex SkipLine();
}
