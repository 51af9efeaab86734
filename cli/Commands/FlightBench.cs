using System.CommandLine;
using System.Diagnostics;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow bench flight</c>: store-backed DoGet of a trade table and validated DoPut over loopback, as MB/s, rows/s and a
/// ratio to the transport ceiling measured on this machine kind (../shared/notes/flight.md: 240–465 MB/s).
/// </summary>
internal static class FlightBench
{
    private const double CeilingLowMBps = 240;
    private const double CeilingHighMBps = 465;

    public static Command Create()
    {
        var rows = new Option<long>("--rows") { Description = "Trades in the table read by DoGet", DefaultValueFactory = _ => 10_000_000 };
        var putRows = new Option<long>("--put-rows") { Description = "Trades sent by each DoPut run", DefaultValueFactory = _ => 2_000_000 };
        var repeats = new Option<int>("--repeats") { Description = "Runs of each measurement (best and median are reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("flight", "Flight DoGet MB/s and rows/s of a trade table, DoPut validated ingest rows/s, over loopback") { rows, putRows, repeats };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            var dir = Path.Combine(Path.GetTempPath(), $"flow-bench-flight-{Environment.ProcessId}");
            try
            {
                using var store = await FlowStores.OpenAsync(new StoreOptions(dir, null), l => Console.Error.WriteLine($"flow: {l}"), ct);
                await RunAsync(store, parse.GetValue(rows), parse.GetValue(putRows), Math.Max(1, parse.GetValue(repeats)), ct);
            }
            finally
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, true);
            }
            return 0;
        }));
        return command;
    }

    private static async Task RunAsync(IFlowStore store, long rows, long putRows, int repeats, CancellationToken ct)
    {
        var tape = new SyntheticTape(500, rows);
        await InstrumentRegistry.EnsureAsync(store, [.. tape.Instruments], ct);
        AnsiConsole.MarkupLine($"[bold]flow bench flight[/] · DoGet of {rows:N0} trades · DoPut of {putRows:N0} trades · {Environment.ProcessorCount} cores · {Markup.Escape(store.Description)}");
        Console.Error.WriteLine("flow: loading the trade table");
        var columns = string.Join(", ", Trade.Arrow.ColumnNames.Select(Sql.Identifier));
        await store.InsertArrowAsync($"trades ({columns})", Trade.Arrow.Schema, tape.Trades(), src => $"SELECT {columns} FROM {src}", ct);
        await store.ExecuteAsync("OPTIMIZE TABLE trades FINAL", ct);

        var token = FlightAccessList.NewToken();
        var access = FlightAccessList.Of([(token, new FlightPrincipal("bench", FlightRole.ReadWrite))]);
        await using var service = await FlightService.StartAsync(store, new FlightServiceOptions { Port = 0, Access = access }, cancellationToken: ct);
        using var channel = GrpcChannel.ForAddress(service.Location, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        var client = new FlightClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        var ticket = new FlightTicket(new DatasetRequest("trades", Columns: [.. Trade.Arrow.ColumnNames]).ToJson());

        var gets = new List<(double Seconds, long Rows, long Bytes, int Batches)>();
        for (var r = 0; r < repeats + 1; r++)
        {
            var clock = Stopwatch.StartNew();
            long got = 0, bytes = 0;
            var batches = 0;
            using (var call = client.GetStream(ticket, headers, null, ct))
            {
                while (await call.ResponseStream.MoveNext(ct))
                {
                    got += call.ResponseStream.Current.Length;
                    bytes += FlightTelemetry.SizeOf(call.ResponseStream.Current);
                    batches++;
                }
            }
            if (got != rows) throw new InvalidOperationException($"DoGet returned {got:N0} rows, the table holds {rows:N0}");
            // The first run warms the JIT and the connection (the notes measured the same); it is not reported.
            if (r > 0) gets.Add((clock.Elapsed.TotalSeconds, got, bytes, batches));
        }

        var puts = new List<(double Seconds, long Rows, long Accepted, long Bytes)>();
        for (var r = 0; r < repeats; r++)
        {
            var day = new SyntheticTape(500, putRows, seed: 7 + r, laterDays: 1 + r);
            var clock = Stopwatch.StartNew();
            long sent = 0, accepted = 0, bytes = 0;
            using var call = await client.StartPut(FlightDescriptor.CreatePathDescriptor("trades"), Trade.Arrow.Schema, headers, null, ct);
            var answers = Task.Run(async () =>
            {
                long ok = 0;
                while (await call.ResponseStream.MoveNext(ct))
                {
                    using var json = System.Text.Json.JsonDocument.Parse(call.ResponseStream.Current.ApplicationMetadata.ToStringUtf8());
                    ok += json.RootElement.GetProperty("accepted").GetInt64();
                }
                return ok;
            }, ct);
            foreach (var batch in day.Trades())
            {
                await call.RequestStream.WriteAsync(batch);
                sent += batch.Length;
                bytes += FlightTelemetry.SizeOf(batch);
            }
            await call.RequestStream.CompleteAsync();
            accepted = await answers;
            puts.Add((clock.Elapsed.TotalSeconds, sent, accepted, bytes));
            if (accepted != sent) throw new InvalidOperationException($"DoPut accepted {accepted:N0} of {sent:N0} fresh rows");
        }

        var table = new Table().AddColumns("measurement", "median", "best", "rows/s (median)", "vs ceiling 240–465 MB/s", "detail");
        var getMBps = gets.Select(g => g.Bytes / 1e6 / g.Seconds).ToList();
        var getMedian = BenchStats.Median(getMBps);
        table.AddRow("DoGet trades (store-backed)", $"{getMedian:F0} MB/s", $"{getMBps.Max():F0} MB/s", $"{BenchStats.Median(gets.Select(g => g.Rows / g.Seconds)) / 1e6:F1} M",
            $"{Percent(getMedian / CeilingHighMBps)}–{Percent(getMedian / CeilingLowMBps)}", $"{gets[0].Rows:N0} rows, {gets[0].Bytes / 1e6:F0} MB, {gets[0].Batches} batches, {BenchStats.Median(gets.Select(g => g.Seconds)):F2} s");
        var putMBps = puts.Select(p => p.Bytes / 1e6 / p.Seconds).ToList();
        var putMedian = BenchStats.Median(putMBps);
        table.AddRow("DoPut trades (validated ingest)", $"{putMedian:F0} MB/s", $"{putMBps.Max():F0} MB/s", $"{BenchStats.Median(puts.Select(p => p.Rows / p.Seconds)) / 1e6:F2} M",
            $"{Percent(putMedian / CeilingHighMBps)}–{Percent(putMedian / CeilingLowMBps)}", $"{puts[0].Rows:N0} rows in 262,144-row batches, all accepted, {BenchStats.Median(puts.Select(p => p.Seconds)):F2} s");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"target: store-backed DoGet ≥ 80 % of the transport ceiling · {(getMedian >= 0.8 * CeilingHighMBps ? "[green]met against its top[/]" : getMedian >= 0.8 * CeilingLowMBps ? "[yellow]met against its low end only[/]" : "[red]not met[/]")}");
    }

    // Invariant "P0" prints "85 %"; the table wants "85%".
    private static string Percent(double ratio) => $"{ratio * 100:F0}%";
}
