namespace CroweLogic.Flow.Contracts.Risk;

/// <summary>The stress scenarios a policy may name (<c>risk.stress_scenarios</c>) and <c>flow stress --scenario</c> runs.</summary>
public static class StressScenarioNames
{
    /// <summary>October 2008: each name's daily total-return path from the close of 2008-09-30 through 2008-10-31, held together.</summary>
    public const string October2008 = "2008-10";

    /// <summary>March 2020: each name's daily total-return path from the close of 2020-02-28 through 2020-03-31, held together.</summary>
    public const string March2020 = "2020-03";

    /// <summary>The flash crash of 2010-05-06: each name at that day's low (a long) or high (a short) against the previous close.</summary>
    public const string FlashCrash = "flash_crash";

    /// <summary>A limit-up/limit-down halt: each name at its doubled Tier 1 band against the position (the opening and closing windows' band), halted there.</summary>
    public const string LuldHalt = "luld_halt";

    /// <summary>Every scenario, in the order they are reported.</summary>
    public static IReadOnlyList<string> All { get; } = [October2008, March2020, FlashCrash, LuldHalt];

    /// <summary>Historical month scenarios: name → (the close the moves are measured from, the first and last day of the path).</summary>
    public static IReadOnlyDictionary<string, (DateOnly Base, DateOnly First, DateOnly Last)> Months { get; } = new Dictionary<string, (DateOnly, DateOnly, DateOnly)>(StringComparer.Ordinal)
    {
        [October2008] = (new DateOnly(2008, 9, 30), new DateOnly(2008, 10, 1), new DateOnly(2008, 10, 31)),
        [March2020] = (new DateOnly(2020, 2, 28), new DateOnly(2020, 3, 1), new DateOnly(2020, 3, 31)),
    };

    /// <summary>The day of the flash crash.</summary>
    public static DateOnly FlashCrashDay { get; } = new(2010, 5, 6);
}
