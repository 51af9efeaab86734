using System.Globalization;
using CroweLogic.Flow.Contracts.Calendars;

namespace CroweLogic.Flow.Contracts.Events;

/// <summary>What makes an instrument definition usable: the checks <c>flow instruments add|import</c> apply before storing one.</summary>
public static class InstrumentRules
{
    /// <summary>Every problem with <paramref name="instrument"/>, empty when it can be stored.</summary>
    public static IEnumerable<string> Problems(Instrument instrument)
    {
        if (string.IsNullOrWhiteSpace(instrument.Symbol)) yield return "the symbol is empty";
        else if (instrument.Symbol != instrument.Symbol.Trim()) yield return $"the symbol '{instrument.Symbol}' has leading or trailing spaces";
        if (!(instrument.TickSize > 0) || !double.IsFinite(instrument.TickSize)) yield return $"tick_size must be a positive number, not {Show(instrument.TickSize)}";
        if (!(instrument.LotSize > 0) || !double.IsFinite(instrument.LotSize)) yield return $"lot_size must be a positive number, not {Show(instrument.LotSize)}";
        if (!(instrument.Multiplier > 0) || !double.IsFinite(instrument.Multiplier)) yield return $"multiplier must be a positive number, not {Show(instrument.Multiplier)}";
        if (instrument.Calendar.Length == 0) yield return $"no calendar: name one of {string.Join(", ", TradingCalendars.All.Select(c => c.Name))}, or {TradingCalendars.Custom} with the session hours";
        else if (!TradingCalendars.IsKnown(instrument.Calendar))
            yield return $"unknown calendar '{instrument.Calendar}': calendars are {string.Join(", ", TradingCalendars.All.Select(c => c.Name))}, or {TradingCalendars.Custom} with the session hours";
        else if (instrument.Calendar == TradingCalendars.Custom)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(instrument.SessionTimeZone, out _)) yield return $"session_tz '{instrument.SessionTimeZone}' is not an IANA time zone";
            if (instrument.SessionStartSeconds < 0 || instrument.SessionEndSeconds > 86_400 || instrument.SessionStartSeconds >= instrument.SessionEndSeconds)
                yield return $"a custom session must lie within one local day with its start before its end, not {instrument.SessionStartSeconds}s-{instrument.SessionEndSeconds}s";
        }
    }

    private static string Show(double v) => v.ToString(CultureInfo.InvariantCulture);
}
