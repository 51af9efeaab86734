using System.Globalization;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Events;

namespace CroweLogic.Flow.Storage.Import;

/// <summary>
/// A CSV of instrument definitions for <c>flow instruments import</c>: a header naming any of the instruments table's
/// columns (<c>symbol</c> required; <c>asset_class</c> unless a default class is given); columns left out take the asset
/// class's defaults. A file is stored whole or not at all: every bad row is reported with its line.
/// </summary>
public static class InstrumentFile
{
    private static readonly string[] Known =
        ["symbol", "asset_class", "venue", "currency", "tick_size", "lot_size", "multiplier", "session_tz", "session_start_s", "session_end_s", "trades_weekends", "name", "sector", "calendar"];

    /// <summary>Reads and checks the file.</summary>
    /// <exception cref="InvalidDataException">The header or some rows are invalid; the message lists each problem by line.</exception>
    public static IReadOnlyList<Instrument> Read(string path, AssetClass? defaultClass = null)
    {
        var lines = File.ReadAllLines(path);
        var name = Path.GetFileName(path);
        if (lines.Length == 0) throw new InvalidDataException($"{name} is empty; it needs a header naming at least symbol{(defaultClass is null ? " and asset_class" : "")}");
        var header = CsvLine.Split(lines[0]).Select(h => h.Trim()).ToList();
        var unknown = header.Where(h => !Known.Contains(h)).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"{name}: unknown column{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)}; columns are {string.Join(", ", Known)}");
        if (!header.Contains("symbol") || defaultClass is null && !header.Contains("asset_class"))
            throw new InvalidDataException($"{name}: the header needs symbol{(defaultClass is null ? " and asset_class (or pass --asset-class)" : "")}");

        var problems = new List<string>();
        var result = new List<Instrument>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var fields = CsvLine.Split(lines[i]);
            var line = i + 1;
            if (fields.Count != header.Count) { problems.Add($"line {line}: {fields.Count} fields, the header has {header.Count}"); continue; }
            var row = header.Zip(fields).ToDictionary(p => p.First, p => p.Second.Trim(), StringComparer.Ordinal);
            var rowProblems = new List<string>();
            var instrument = Parse(row, defaultClass, rowProblems);
            if (instrument is not null) rowProblems.AddRange(InstrumentRules.Problems(instrument));
            if (instrument is not null && seen.TryGetValue(instrument.Symbol, out var first)) rowProblems.Add($"{instrument.Symbol} is also defined on line {first}");
            if (rowProblems.Count > 0) { problems.Add($"line {line}: {string.Join("; ", rowProblems)}"); continue; }
            seen[instrument!.Symbol] = line;
            result.Add(instrument);
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{name}: nothing stored, {problems.Count} bad row{(problems.Count == 1 ? "" : "s")}:\n  " + string.Join("\n  ", problems.Take(50)) + (problems.Count > 50 ? $"\n  … and {problems.Count - 50} more" : ""));
        return result;
    }

    private static Instrument? Parse(Dictionary<string, string> row, AssetClass? defaultClass, List<string> problems)
    {
        AssetClass assetClass;
        if (row.TryGetValue("asset_class", out var cls) && cls.Length > 0)
        {
            try { assetClass = EnumText<AssetClass>.Parse(cls); }
            catch (FormatException) { problems.Add($"unknown asset_class '{cls}' ({string.Join(", ", EnumText<AssetClass>.Names)})"); return null; }
        }
        else if (defaultClass is { } d) assetClass = d;
        else { problems.Add("asset_class is empty"); return null; }

        var symbol = row["symbol"];
        Instrument baseline;
        try { baseline = Instrument.Defaults(symbol, assetClass); }
        catch (ArgumentException) { baseline = new Instrument(symbol, assetClass, "", "", double.NaN, double.NaN, double.NaN, "UTC", 0, 86_400, false, symbol, "", ""); }

        string Text(string column, string fallback) => row.TryGetValue(column, out var v) && v.Length > 0 ? v : fallback;
        double Number(string column, double fallback)
        {
            if (!row.TryGetValue(column, out var v) || v.Length == 0) return fallback;
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)) return x;
            problems.Add($"{column} '{v}' is not a number");
            return fallback;
        }
        int Seconds(string column, int fallback)
        {
            if (!row.TryGetValue(column, out var v) || v.Length == 0) return fallback;
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x)) return x;
            problems.Add($"{column} '{v}' is not a whole number of seconds");
            return fallback;
        }
        var weekends = baseline.TradesWeekends;
        if (row.TryGetValue("trades_weekends", out var w) && w.Length > 0 && !bool.TryParse(w, out weekends)) problems.Add($"trades_weekends '{w}' is not true or false");

        return baseline with
        {
            Venue = Text("venue", baseline.Venue), Currency = Text("currency", baseline.Currency),
            TickSize = Number("tick_size", baseline.TickSize), LotSize = Number("lot_size", baseline.LotSize), Multiplier = Number("multiplier", baseline.Multiplier),
            SessionTimeZone = Text("session_tz", baseline.SessionTimeZone), SessionStartSeconds = Seconds("session_start_s", baseline.SessionStartSeconds),
            SessionEndSeconds = Seconds("session_end_s", baseline.SessionEndSeconds), TradesWeekends = weekends,
            Name = Text("name", baseline.Name), Sector = Text("sector", baseline.Sector), Calendar = Text("calendar", baseline.Calendar),
        };
    }
}
