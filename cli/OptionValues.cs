using System.Globalization;

namespace CroweLogic.Flow.Cli;

/// <summary>Parsing of option values shared by commands, with the option's name in every error.</summary>
internal static class OptionValues
{
    /// <summary>A yyyy-MM-dd day, or null when the option was not given.</summary>
    public static DateOnly? Date(string? text, string option) =>
        text is null ? null : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw new ArgumentException($"{option} '{text}' is not a date (yyyy-MM-dd)");

    /// <summary>A comma-separated list, or null when the option was not given.</summary>
    public static string[]? List(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
