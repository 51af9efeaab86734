namespace CroweLogic.Flow.Gateways.Fix.Session;

/// <summary>
/// Session settings for every FIX version from a directory of QuickFIX specification files (QuickFIX's <c>spec/</c>:
/// FIX40.xml … FIX44.xml, FIXT11.xml, FIX50.xml, FIX50SP1.xml, FIX50SP2.xml), one dictionary per version and, for
/// FIXT 1.1, the transport dictionary split from the application dictionaries, as QuickFIX's acceptance configuration
/// sets them up.
/// </summary>
public static class FixSpecification
{
    private static readonly (string BeginString, string File)[] Fix4 =
    [
        (FixVersion.Fix40, "FIX40.xml"), (FixVersion.Fix41, "FIX41.xml"), (FixVersion.Fix42, "FIX42.xml"), (FixVersion.Fix43, "FIX43.xml"), (FixVersion.Fix44, "FIX44.xml"),
    ];

    /// <summary>Every BeginString a specification directory can serve.</summary>
    public static IReadOnlyList<string> BeginStrings { get; } = [.. Fix4.Select(v => v.BeginString), FixVersion.Fixt11];

    /// <summary>Settings for one BeginString (FIXT.1.1 defaults its application messages to <paramref name="defaultApplVerId"/>).</summary>
    /// <exception cref="FixDictionaryException">A specification file is missing or unusable.</exception>
    public static FixSessionSettings Settings(string directory, string beginString, FixSessionSettings template, string defaultApplVerId = "FIX.5.0")
    {
        string Path(string file) => System.IO.Path.Combine(directory, file);
        if (beginString == FixVersion.Fixt11)
        {
            return template with
            {
                BeginString = beginString,
                Dictionary = FixDictionary.Load(Path("FIXT11.xml")),
                DefaultApplVerId = defaultApplVerId,
                ApplicationDictionaries = new Dictionary<string, FixDictionary>
                {
                    ["FIX.5.0"] = FixDictionary.Load(Path("FIX50.xml")),
                    ["FIX.5.0SP1"] = FixDictionary.Load(Path("FIX50SP1.xml")),
                    ["FIX.5.0SP2"] = FixDictionary.Load(Path("FIX50SP2.xml")),
                },
            };
        }
        var file = Fix4.FirstOrDefault(v => v.BeginString == beginString).File
            ?? throw new FixDictionaryException($"no specification file is known for {beginString} (known: {string.Join(", ", BeginStrings)})");
        return template with { BeginString = beginString, Dictionary = FixDictionary.Load(Path(file)) };
    }
}
