using System.CommandLine;
using System.Globalization;
using CroweLogic.Flow.Contracts.Calendars;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Calendars;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow calendars list|show</c>: the shipped trading calendars and their sessions (the <c>calendar_sessions</c> table).</summary>
internal static class CalendarsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "The shipped trading calendars");
        list.SetAction(_ =>
        {
            foreach (var c in TradingCalendars.All) Console.WriteLine($"{c.Name,-11} {c.TimeZoneId,-17} {c.Description}");
            Console.WriteLine($"{TradingCalendars.Custom,-11} {"(instrument's)",-17} an instrument's own weekly hours (session_tz, session_start_s, session_end_s, trades_weekends)");
            return 0;
        });

        var name = new Argument<string>("calendar") { Description = "Calendar name, e.g. XNYS" };
        var year = new Option<int>("--year") { Description = "The year to show", DefaultValueFactory = _ => DateTime.UtcNow.Year };
        var all = new Option<bool>("--all") { Description = "Every session, not only holidays and early closes" };
        var format = new Option<string>("--format", "-f") { Description = "Output format", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong([.. QueryOutput.TextFormats.Keys]);
        var show = new Command("show", "A calendar's holidays and early closes in a year (with --all, every session), from the store's calendar_sessions table") { name, year, all, format };
        show.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var calendar = TradingCalendars.Named(parse.GetValue(name)!);
            var y = parse.GetValue(year);
            if (y < calendar.First.Year || y > calendar.Last.Year) throw new ArgumentException($"{calendar.Name} is defined for {calendar.First.Year}-{calendar.Last.Year}, not {y}");
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            var tz = Sql.Literal(calendar.TimeZoneId);
            string Time(string column, string pattern) => $"if(kind = 'holiday', 'closed', formatDateTime(toTimeZone({column}, {tz}), '{pattern}'))";
            var filter = parse.GetValue(all) ? "" : " AND (kind = 'holiday' OR early_close)";
            await QueryOutput.PrintAsync(store,
                $"SELECT date, kind, {Time("open_ts", "%a %H:%i")} AS opens, {Time("market_open_ts", "%H:%i")} AS market_opens, " +
                $"{Time("market_close_ts", "%H:%i")} AS market_closes, {Time("close_ts", "%H:%i")} AS closes, note " +
                $"FROM {CalendarSessionStore.Table} WHERE calendar = {Sql.Literal(calendar.Name)} AND toYear(date) = {y.ToString(CultureInfo.InvariantCulture)} AND kind != 'end'{filter} ORDER BY date",
                parse.GetValue(format)!, ct);
            using var counts = await store.QueryArrowAsync($"SELECT countIf(kind = 'session') FROM {CalendarSessionStore.Table} WHERE calendar = {Sql.Literal(calendar.Name)} AND toYear(date) = {y.ToString(CultureInfo.InvariantCulture)}", ct);
            Console.WriteLine($"{calendar.Name} {y}: {counts.Scalar<long>()} sessions, times in {calendar.TimeZoneId}");
            return 0;
        }));

        return new Command("calendars", "Trading calendars: exchange holidays, early closes and session hours, as validated on ingest") { list, show };
    }
}
