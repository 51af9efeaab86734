using System.Text.RegularExpressions;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Contracts.Risk;

/// <summary>Where an instrument counts for the concentration limits: its sector and its issuer.</summary>
/// <param name="Sector">Sector classification (GICS sector for the S&amp;P set); <see cref="Unclassified"/> when unknown.</param>
/// <param name="Issuer">The issuing company: the instrument's name without its share-class suffix, so GOOGL and GOOG are one issuer.</param>
public sealed partial record InstrumentClass(string Sector, string Issuer)
{
    /// <summary>The sector of an instrument without one: such names share one bucket, so an unknown sector never escapes the limit.</summary>
    public const string Unclassified = "unclassified";

    /// <summary>The class of a registered instrument.</summary>
    public static InstrumentClass Of(Instrument instrument) => new(
        string.IsNullOrWhiteSpace(instrument.Sector) ? Unclassified : instrument.Sector.Trim(),
        IssuerOf(instrument.Name, instrument.Symbol));

    /// <summary>The class of a symbol the store does not describe: unclassified, its own issuer.</summary>
    public static InstrumentClass Unknown(string symbol) => new(Unclassified, symbol);

    /// <summary>"Alphabet Inc. (Class A)" and "Alphabet Inc. (Class C)" → "Alphabet Inc."; an empty name → the symbol.</summary>
    public static string IssuerOf(string name, string symbol)
    {
        if (string.IsNullOrWhiteSpace(name)) return symbol;
        return ShareClass().Replace(name.Trim(), "");
    }

    [GeneratedRegex(@"\s*\((Class|Series) [A-Z0-9]+\)$")]
    private static partial Regex ShareClass();
}
