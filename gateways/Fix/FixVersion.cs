namespace CroweLogic.Flow.Gateways.Fix;

/// <summary>
/// BeginString values and the rules that depend on them. Versions compare as QuickFIX compares them, as ordinal
/// strings, which puts FIXT.1.1 after every FIX.4.x; ApplVerID (1128/1137) codes map to and from version names.
/// </summary>
public static class FixVersion
{
#pragma warning disable CS1591 // the names are the versions
    public const string Fix40 = "FIX.4.0";
    public const string Fix41 = "FIX.4.1";
    public const string Fix42 = "FIX.4.2";
    public const string Fix43 = "FIX.4.3";
    public const string Fix44 = "FIX.4.4";
    public const string Fix50 = "FIX.5.0";
    public const string Fixt11 = "FIXT.1.1";
#pragma warning restore CS1591

    /// <summary>Ordinal comparison of two BeginStrings (negative, zero or positive).</summary>
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);

    /// <summary>Whether the session is FIXT (the transport of FIX 5.0 and later).</summary>
    public static bool IsFixt(string beginString) => beginString.StartsWith("FIXT", StringComparison.Ordinal);

    /// <summary>
    /// The ApplVerID code of a version name (FIX.4.4 → 6, FIX.5.0SP2 → 9); anything else is taken as a code already.
    /// </summary>
    public static string ToApplVerId(string version) => version switch
    {
        Fix40 => "2",
        Fix41 => "3",
        Fix42 => "4",
        Fix43 => "5",
        Fix44 => "6",
        Fix50 => "7",
        "FIX.5.0SP1" => "8",
        "FIX.5.0SP2" => "9",
        _ => version,
    };

    /// <summary>Whether a SendingTime in this version carries milliseconds (FIX 4.2 and later, and FIXT).</summary>
    public static bool HasMilliseconds(string beginString) => IsFixt(beginString) || Compare(beginString, Fix42) >= 0;
}
