using System.CommandLine;
using System.Globalization;
using System.Net;
using CroweLogic.Flow.Cli.Live;
using CroweLogic.Flow.Gateways.Venue;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow sim-exchange --port P</c>: the simulated exchange as a standalone FIX venue — order entry and market data —
/// fed a replay of the store or a synthetic order flow, so <c>flow live</c> can paper trade over a real protocol with
/// nothing outside this machine.
/// </summary>
internal static class SimExchangeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on (FIX 4.4 acceptor)", Required = true };
        var bind = new Option<string>("--bind") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var venue = new Option<string>("--venue") { Description = "The venue's name and CompID", DefaultValueFactory = _ => "SIM" };
        var clients = new Option<string>("--clients") { Description = "CompIDs of the order-entry sessions, comma-separated", DefaultValueFactory = _ => "FLOW" };
        var feedClients = new Option<string>("--feed-clients") { Description = "CompIDs of the market-data sessions, comma-separated", DefaultValueFactory = _ => "FLOW-MD" };
        var symbols = new Option<string?>("--symbols") { Description = "Instruments (store replay: required; synthetic: a subset of SYN0000…)" };
        var statusEvery = new Option<double>("--status-every") { Description = "Seconds between status lines", DefaultValueFactory = _ => 1 };
        var market = new SimulatedMarketOptions();
        var command = new Command("sim-exchange", "The simulated exchange as a standalone FIX venue (orders and market data) fed a store replay or a synthetic flow, until Ctrl+C")
        {
            port, bind, venue, clients, feedClients, symbols, statusEvery,
        };
        market.AddTo(command);
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new ArgumentException($"--bind {parse.GetValue(bind)} is not an IP address");
            var names = market.Symbols(parse, OptionValues.List(parse.GetValue(symbols)));
            var feeder = market.Feeder(parse, names);
            var options = new SimulatedVenueOptions(parse.GetValue(port))
            {
                Bind = address,
                Venue = parse.GetValue(venue)!,
                OrderSessions = OptionValues.List(parse.GetValue(clients)) ?? [],
                FeedSessions = OptionValues.List(parse.GetValue(feedClients)) ?? [],
            };
            var exchange = new SimulatedFixVenue(options);
            await using (exchange.ConfigureAwait(false))
            {
                var endpoint = exchange.Start();
                exchange.List(names);
                Console.WriteLine($"simulated exchange {options.Venue} listening on {endpoint}: order entry {string.Join(", ", options.OrderSessions)}, market data {string.Join(", ", options.FeedSessions)}; market: {market.Describe(parse, names)} (Ctrl+C to stop)");
                var every = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(statusEvery)));
                var started = DateTime.UtcNow;
                var feeding = Task.Run(() => feeder(exchange, ct), CancellationToken.None);
                var ended = false;
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(every, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    if (!ended && feeding.IsCompleted)
                    {
                        ended = true;
                        Console.WriteLine(feeding.IsFaulted ? $"sim-exchange: the market feed failed: {feeding.Exception!.GetBaseException().Message}" : $"sim-exchange: the market feed ended after {feeding.Result:N0} events; the book stays as it was");
                    }
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"sim-exchange {DateTime.UtcNow - started:hh\\:mm\\:ss} | {exchange.LoggedOn} sessions | quotes {exchange.Quotes:N0} trades {exchange.Trades:N0} | published {exchange.Published:N0} | resting client orders {exchange.RestingClientOrders}"));
                }
                await feeding.ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }
}
