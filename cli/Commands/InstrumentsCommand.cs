using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Contracts.Arrow;
using CroweLogic.Flow.Contracts.Calendars;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow instruments list|add|import</c>: the reference data every ingested row is checked against.</summary>
internal static class InstrumentsCommand
{
    private const string Columns = "symbol, asset_class, venue, currency, tick_size, lot_size, multiplier, calendar, name, sector";

    public static Command Create()
    {
        var calendarFilter = new Option<string?>("--calendar") { Description = "Only instruments on this calendar" };
        var format = new Option<string>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. QueryOutput.TextFormats.Keys]);
        var list = new Command("list", "The instruments the store knows, with their calendars") { calendarFilter, format };
        list.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var where = parse.GetValue(calendarFilter) is { } c ? $" WHERE calendar = {Sql.Literal(c)}" : "";
            await QueryOutput.PrintAsync(store, $"SELECT {Columns} FROM instruments FINAL{where} ORDER BY symbol", parse.GetValue(format)!, ct);
            return 0;
        }));

        var symbol = new Argument<string>("symbol") { Description = "The instrument's symbol, as the data names it" };
        var assetClass = new Option<string>("--asset-class") { Description = $"Asset class ({string.Join(", ", EnumText<AssetClass>.Names)}); its defaults fill what is not given", DefaultValueFactory = _ => "equity" };
        assetClass.AcceptOnlyFromAmong([.. EnumText<AssetClass>.Names]);
        var venue = new Option<string?>("--venue") { Description = "Primary venue (MIC)" };
        var currency = new Option<string?>("--currency") { Description = "Quote currency" };
        var tick = new Option<double?>("--tick-size") { Description = "Minimum price increment" };
        var lot = new Option<double?>("--lot-size") { Description = "Round lot" };
        var multiplier = new Option<double?>("--multiplier") { Description = "Contract multiplier" };
        var calendar = new Option<string?>("--calendar") { Description = $"Trading calendar: {string.Join(", ", TradingCalendars.All.Select(c => c.Name))}, or custom with --hours and --time-zone" };
        var hours = new Option<string?>("--hours") { Description = "A custom calendar's daily session, local HH:MM-HH:MM (end exclusive)" };
        var zone = new Option<string?>("--time-zone") { Description = "A custom calendar's IANA time zone" };
        var weekends = new Option<bool>("--weekends") { Description = "A custom calendar trades Saturdays and Sundays too" };
        var name = new Option<string?>("--name") { Description = "Display name" };
        var sector = new Option<string?>("--sector") { Description = "Sector (the sector limit groups by it)" };
        var add = new Command("add", "Define an instrument (or replace its definition): the asset class's defaults, overridden by the options given")
            { symbol, assetClass, venue, currency, tick, lot, multiplier, calendar, hours, zone, weekends, name, sector };
        add.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var cls = EnumText<AssetClass>.Parse(parse.GetValue(assetClass)!);
            var sym = parse.GetValue(symbol)!;
            var baseline = cls is AssetClass.Option or AssetClass.Index
                ? new Instrument(sym, cls, "", "", 0.01, 1, 1, "UTC", 0, 86_400, false, sym, "", "")
                : Instrument.Defaults(sym, cls);
            var defined = baseline with
            {
                Venue = parse.GetValue(venue) ?? baseline.Venue, Currency = parse.GetValue(currency) ?? baseline.Currency,
                TickSize = parse.GetValue(tick) ?? baseline.TickSize, LotSize = parse.GetValue(lot) ?? baseline.LotSize,
                Multiplier = parse.GetValue(multiplier) ?? baseline.Multiplier, Calendar = parse.GetValue(calendar) ?? baseline.Calendar,
                Name = parse.GetValue(name) ?? baseline.Name, Sector = parse.GetValue(sector) ?? baseline.Sector,
            };
            if (parse.GetValue(hours) is { } window)
            {
                var (start, end) = ParseHours(window);
                defined = defined with { SessionStartSeconds = start, SessionEndSeconds = end };
            }
            if (parse.GetValue(zone) is { } tz) defined = defined with { SessionTimeZone = tz };
            if (parse.GetValue(weekends)) defined = defined with { TradesWeekends = true };
            if (defined.Calendar != TradingCalendars.Custom && (parse.GetValue(hours) is not null || parse.GetValue(zone) is not null || parse.GetValue(weekends)))
                throw new ArgumentException($"--hours, --time-zone and --weekends define a custom calendar; {sym} is on {defined.Calendar} (add --calendar custom)");
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var (added, _) = await InstrumentRegistry.UpsertAsync(store, [defined], ct);
            Console.WriteLine($"{(added == 1 ? "added" : "replaced")} {sym}: {EnumText<AssetClass>.Name(cls)}, {defined.Venue}, {defined.Currency}, tick {Number(defined.TickSize)}, lot {Number(defined.LotSize)}, multiplier {Number(defined.Multiplier)}, calendar {defined.Calendar}");
            return 0;
        }));

        var file = new Argument<string>("file") { Description = "CSV with a header naming instruments columns (symbol required; asset_class unless --asset-class)" };
        var importClass = new Option<string?>("--asset-class") { Description = "Asset class of rows whose file has no asset_class column" };
        importClass.AcceptOnlyFromAmong([.. EnumText<AssetClass>.Names]);
        var import = new Command("import", "Define instruments from a CSV: the whole file is checked first and stored only if every row is valid") { file, importClass };
        import.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file");
            var instruments = InstrumentFile.Read(path, parse.GetValue(importClass) is { } c ? EnumText<AssetClass>.Parse(c) : null);
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var (added, replaced) = await InstrumentRegistry.UpsertAsync(store, instruments, ct);
            Console.WriteLine($"{Path.GetFileName(path)}: {instruments.Count} instrument{(instruments.Count == 1 ? "" : "s")}, {added} added, {replaced} replaced " +
                $"({string.Join(", ", instruments.GroupBy(i => i.Calendar).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} on {g.Key}"))})");
            return 0;
        }));

        return new Command("instruments", "Instrument reference data: symbols, asset classes, tick and lot sizes, calendars") { list, add, import };
    }

    private static string Number(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);

    private static (int Start, int End) ParseHours(string window)
    {
        var parts = window.Split('-');
        if (parts.Length == 2 && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var a)
            && (parts[1] == "24:00" || TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)))
        {
            var end = parts[1] == "24:00" ? 86_400 : (int)TimeOnly.ParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture).ToTimeSpan().TotalSeconds;
            return ((int)a.ToTimeSpan().TotalSeconds, end);
        }
        throw new ArgumentException($"--hours '{window}' is not HH:MM-HH:MM (e.g. 09:30-16:00)");
    }
}
