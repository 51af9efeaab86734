using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using CroweLogic.Flow.Activities.Backtest;
using CroweLogic.Flow.Dataflow.Lane;
using CroweLogic.Flow.Gateways.Venue;
using CroweLogic.Flow.Host.Live;

namespace CroweLogic.Flow.Cli.Live;

/// <summary>
/// What market the simulated exchange is fed (<c>flow sim-exchange</c>, <c>flow live --feed sim</c>): a replay of the
/// store's ticks at <c>--speed</c>, or a synthetic order flow of <c>--instruments</c> instruments at <c>--rate</c>
/// events a second.
/// </summary>
internal sealed class SimulatedMarketOptions
{
    public Option<string> Source { get; } = new("--source") { Description = "Market the simulated exchange is fed: store (replay of the store's ticks) or synthetic", DefaultValueFactory = _ => "synthetic" };

    public Option<string?> From { get; } = new("--from") { Description = "Store replay: first day (yyyy-MM-dd)" };

    public Option<string?> To { get; } = new("--to") { Description = "Store replay: day after the last (yyyy-MM-dd)" };

    public Option<double> Speed { get; } = new("--speed") { Description = "Event time per wall time (store replay: 1 is as recorded)", DefaultValueFactory = _ => 1 };

    public Option<int> Rate { get; } = new("--rate") { Description = "Synthetic: events per second of market time over all instruments", DefaultValueFactory = _ => 1000 };

    public Option<int> Instruments { get; } = new("--instruments") { Description = "Synthetic: how many instruments (SYN0000, SYN0001, …)", DefaultValueFactory = _ => 4 };

    public void AddTo(Command command)
    {
        Source.AcceptOnlyFromAmong("store", "synthetic");
        foreach (var option in new Option[] { Source, From, To, Speed, Rate, Instruments }) command.Options.Add(option);
    }

    /// <summary>The instruments the market will carry (synthetic: its own names; store: those given).</summary>
    public IReadOnlyList<string> Symbols(ParseResult parse, IReadOnlyList<string>? given)
    {
        if (parse.GetValue(Source) == "synthetic")
        {
            var count = parse.GetValue(Instruments);
            if (count is < 1 or > 10_000) throw new ArgumentException($"--instruments must be 1-10000, got {count}");
            var names = Enumerable.Range(0, count).Select(i => $"SYN{i:D4}").ToList();
            if (given is { Count: > 0 } && given.Except(names).FirstOrDefault() is { } unknown) throw new ArgumentException($"--symbols {unknown}: the synthetic market carries {names[0]} … {names[^1]}");
            return given is { Count: > 0 } ? given : names;
        }
        return given is { Count: > 0 } ? given : throw new ArgumentException("--source store replays the instruments named by --symbols (e.g. --symbols IBM,AIG: the LEAN tick days flow run ingests)");
    }

    /// <summary>A description for the banner.</summary>
    public string Describe(ParseResult parse, IReadOnlyList<string> symbols) => parse.GetValue(Source) == "synthetic"
        ? string.Create(CultureInfo.InvariantCulture, $"synthetic order flow, {symbols.Count} instruments at {parse.GetValue(Rate):N0} events/s × {parse.GetValue(Speed):0.##}")
        : string.Create(CultureInfo.InvariantCulture, $"store replay of {string.Join(',', symbols)} at {parse.GetValue(Speed):0.##}× real time");

    /// <summary>What feeds the venue until cancelled (a store replay ends with its data; the venue keeps its last book).</summary>
    public Func<SimulatedFixVenue, CancellationToken, Task<long>> Feeder(ParseResult parse, IReadOnlyList<string> symbols)
    {
        var speed = parse.GetValue(Speed);
        if (!(speed > 0 && double.IsFinite(speed))) throw new ArgumentException($"--speed must be a positive number, got {speed}");
        if (parse.GetValue(Source) == "synthetic")
        {
            var rate = parse.GetValue(Rate);
            if (rate is < 1 or > 10_000_000) throw new ArgumentException($"--rate must be 1-10000000 events/s, got {rate}");
            var instruments = parse.GetValue(Instruments);
            return (venue, ct) => VenueFeeder.RunAsync(venue, Synthetic(instruments, rate, ct), speed, ct);
        }
        var from = OptionValues.Date(parse.GetValue(From), "--from");
        var to = OptionValues.Date(parse.GetValue(To), "--to");
        return async (venue, ct) =>
        {
            using var store = await GlobalOptions.OpenStoreAsync(parse, ct).ConfigureAwait(false);
            return await VenueFeeder.RunAsync(venue, StoreFeed.ReadAsync(store, new StoreFeed.Range(MarketShape.Ticks, from, to, symbols), ct), speed, ct).ConfigureAwait(false);
        };
    }

    // Endless: batches of 1 ms of market time, released by the venue feeder's clock.
    private static async IAsyncEnumerable<LaneMessage> Synthetic(int instruments, int rate, [EnumeratorCancellation] CancellationToken ct)
    {
        var ticks = new SyntheticTicks(instruments) { SustainedFlow = true, StepNanos = 1_000_000_000L / rate };
        var rows = Math.Max(1, rate / 1000);
        long sequence = 0;
        while (!ct.IsCancellationRequested)
        {
            yield return new LaneMessage(new MarketBatch(MarketShape.Ticks, ticks.Next(rows), sequence++));
            if (sequence % 64 == 0) await Task.Yield();
        }
    }

}
