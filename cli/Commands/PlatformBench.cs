using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Gateways.Flight.FlightSql.Protocol;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Import;
using CroweLogic.Flow.Storage.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary>
/// <c>flow bench up</c>: a platform (<c>flow up</c> in its own process, on a fresh directory holding the LEAN IBM days)
/// under eight clients at once for a while — two Flight DoGet readers, Flight SQL queries, ClickHouse.Driver point and
/// aggregate queries, the official @clickhouse/client in node, a validated ingest through Flight DoPut, and
/// <c>flow backtest</c> runs — each counting calls, failures and latency; then the ingest's accounting against the store.
/// </summary>
internal static class PlatformBench
{
    private sealed class Client(string name)
    {
        public string Name { get; } = name;

        public ConcurrentBag<double> Latencies { get; } = [];

        public int Failures;

        public long Rows;

        public string? LastError;

        public async Task Loop(DateTime deadline, Func<Task<long>> call)
        {
            while (DateTime.UtcNow < deadline)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    Interlocked.Add(ref Rows, await call().ConfigureAwait(false));
                    Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref Failures);
                    LastError = e.Message.Split('\n')[0];
                }
            }
        }
    }

    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long the clients run", DefaultValueFactory = _ => 60 };
        var command = new Command("up", "flow up under eight concurrent clients (Flight, Flight SQL, ClickHouse.Driver, @clickhouse/client, DoPut ingest, flow backtest): calls, failures, latency, ingest accounting") { seconds };
        command.SetAction((parse, ct) => CliErrors.Guard(() => RunAsync(Math.Max(5, parse.GetValue(seconds)), ct)));
        return command;
    }

    private static Process Flow(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(typeof(PlatformBench).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["FLOW_DATA_DIR"] = dir;
        psi.Environment.Remove("CLICKHOUSE_URL");
        return Process.Start(psi)!;
    }

    private static async Task<string> Finish(Process process, string what)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{what} exited {process.ExitCode}: {(await stderr).Trim()}");
        return await stdout;
    }

    private static async Task<int> RunAsync(int seconds, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"flow-bench-up-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        using var up = Flow(dir, "up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", "0", "--temporal-ui-port", "0");
        try
        {
            PlatformFile? platform = null;
            for (var wait = Stopwatch.StartNew(); platform is null; await Task.Delay(200, ct).ConfigureAwait(false))
            {
                if (up.HasExited) throw new InvalidOperationException($"flow up exited {up.ExitCode}: {await up.StandardError.ReadToEndAsync(ct).ConfigureAwait(false)}");
                if (wait.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException("flow up did not announce itself in 120 s");
                platform = PlatformFile.Read(dir) is { } file && file.Pid == up.Id ? file : null;
            }
            Console.Error.WriteLine($"flow: platform pid {platform.Pid} on {dir}; loading the LEAN IBM days through it");
            await Finish(Flow(dir, "ingest", Path.Combine(SharedData.Locate(null), "lean", "Data", "equity", "usa", "tick", "ibm")), "flow ingest").ConfigureAwait(false);
            return await ClientsAsync(dir, platform, seconds, ct).ConfigureAwait(false);
        }
        finally
        {
            if (!up.HasExited)
            {
                Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
                await up.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            Directory.Delete(dir, true);
        }
    }

    private static async Task<int> ClientsAsync(string dir, PlatformFile platform, int seconds, CancellationToken ct)
    {
        using var store = await ClickHouseServerStore.ConnectAsync(platform.ClientUrl, ct).ConfigureAwait(false);
        var ibmTrades = long.Parse(System.Text.Encoding.UTF8.GetString(await store.QueryFormattedAsync("SELECT count() FROM trades WHERE symbol = 'IBM'", "TabSeparated", ct).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
        var tape = new SyntheticTape(20, 50_000_000, seed: 3, laterDays: 10);
        await InstrumentRegistry.EnsureAsync(store, [.. tape.Instruments], ct).ConfigureAwait(false);
        using var channel = GrpcChannel.ForAddress(platform.Flight, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });
        var flight = new FlightClient(channel);
        var headers = new Metadata { { "authorization", "Bearer " + platform.Token } };
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        AnsiConsole.MarkupLine($"[bold]flow bench up[/] · {seconds} s · eight clients against pid {platform.Pid} · IBM trades {ibmTrades:N0}");

        var doGet = new[] { new Client("Flight DoGet (IBM trades) #1"), new Client("Flight DoGet (IBM trades) #2") };
        var flightSql = new Client("Flight SQL statement (quote count)");
        var driver = new[] { new Client("ClickHouse.Driver point query"), new Client("ClickHouse.Driver aggregate") };
        var put = new Client("Flight DoPut ingest (validated)");
        var backtest = new Client("flow backtest --symbols IBM");
        var ticket = new FlightTicket(new DatasetRequest("trades", Symbols: ["IBM"], Columns: ["symbol", "ts", "price", "size"]).ToJson());
        async Task<long> Get()
        {
            long rows = 0;
            using var call = flight.GetStream(ticket, headers, null, ct);
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false)) rows += call.ResponseStream.Current.Length;
            return rows == ibmTrades ? rows : throw new InvalidOperationException($"DoGet returned {rows} rows, the store holds {ibmTrades}");
        }
        async Task<long> Sql()
        {
            var command = Google.Protobuf.WellKnownTypes.Any.Pack(new CommandStatementQuery { Query = "SELECT symbol, count() AS n FROM quotes GROUP BY symbol" });
            var info = await flight.GetInfo(FlightDescriptor.CreateCommandDescriptor(Google.Protobuf.MessageExtensions.ToByteArray(command)), headers).ConfigureAwait(false);
            long rows = 0;
            using var call = flight.GetStream(info.Endpoints[0].Ticket, headers, null, ct);
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false)) rows += call.ResponseStream.Current.Length;
            return rows;
        }
        async Task<long> Point() => (await store.QueryFormattedAsync("SELECT price FROM trades WHERE symbol = 'IBM' ORDER BY ts LIMIT 1", "TabSeparated", ct).ConfigureAwait(false)).Length > 0 ? 1 : 0;
        async Task<long> Aggregate() => (await store.QueryFormattedAsync("SELECT toDate(ts) d, sum(price * size) / sum(size) FROM trades WHERE symbol = 'IBM' GROUP BY d ORDER BY d", "TabSeparated", ct).ConfigureAwait(false)).Length;
        var sent = 0L;
        var batches = tape.Trades().GetEnumerator();
        async Task<long> Put()
        {
            if (!batches.MoveNext()) throw new InvalidOperationException("the synthetic tape ran out");
            var batch = batches.Current;
            using var call = await flight.StartPut(FlightDescriptor.CreatePathDescriptor("trades"), Trade.Arrow.Schema, headers, null, ct).ConfigureAwait(false);
            await call.RequestStream.WriteAsync(batch).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            long accepted = 0;
            while (await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
            {
                using var json = JsonDocument.Parse(call.ResponseStream.Current.ApplicationMetadata.ToStringUtf8());
                accepted += json.RootElement.GetProperty("accepted").GetInt64();
            }
            Interlocked.Add(ref sent, batch.Length);
            return accepted;
        }
        async Task<long> Backtest()
        {
            var output = await Finish(Flow(dir, "backtest", "--strategy", "quote-imbalance", "--symbols", "IBM", "--no-write"), "flow backtest").ConfigureAwait(false);
            return output.Contains("events through", StringComparison.Ordinal) ? 1 : throw new InvalidOperationException("the backtest printed no run");
        }

        var js = JsClientAsync(platform, seconds, ct);
        await Task.WhenAll(
            doGet[0].Loop(deadline, Get), doGet[1].Loop(deadline, Get), flightSql.Loop(deadline, Sql), driver[0].Loop(deadline, Point), driver[1].Loop(deadline, Aggregate),
            put.Loop(deadline, Put), backtest.Loop(deadline, Backtest)).ConfigureAwait(false);
        var jsClient = await js.ConfigureAwait(false);

        var stored = long.Parse(System.Text.Encoding.UTF8.GetString(await store.QueryFormattedAsync("SELECT count() FROM trades WHERE symbol LIKE 'SYN%'", "TabSeparated", ct).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("client", "calls", "failures", "p50 ms", "p99 ms", "detail");
        Client[] all = [.. doGet, flightSql, .. driver, jsClient, put, backtest];
        foreach (var c in all)
        {
            var sorted = c.Latencies.Order().ToArray();
            string P(double q) => sorted.Length == 0 ? "—" : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)].ToString("F1", CultureInfo.InvariantCulture);
            var detail = c == put ? $"{sent:N0} rows sent, {c.Rows:N0} accepted, {stored:N0} in the store" : c.Rows > 0 ? $"{c.Rows:N0} rows/results" : "";
            table.AddRow(Markup.Escape(c.Name), (sorted.Length + c.Failures).ToString("N0", CultureInfo.InvariantCulture), c.Failures == 0 ? "0" : $"[red]{c.Failures}[/]",
                P(0.5), P(0.99), Markup.Escape(c.LastError is null ? detail : $"{detail} last error: {c.LastError}"));
        }
        AnsiConsole.Write(table);
        var failures = all.Sum(c => c.Failures);
        var exact = put.Rows == sent && stored == sent;
        AnsiConsole.MarkupLine($"{(failures == 0 ? "[green]no call failed[/]" : $"[red]{failures} calls failed[/]")} · ingest accounting {(exact ? "[green]exact[/]" : "[red]differs[/]")} ({sent:N0} sent = {put.Rows:N0} accepted = {stored:N0} stored)");
        return failures == 0 && exact ? 0 : CliErrors.Failure;
    }

    // The official JavaScript client in its own node process, looping for the same time (tests/peers/clickhouse-js).
    private static async Task<Client> JsClientAsync(PlatformFile platform, int seconds, CancellationToken ct)
    {
        var client = new Client("@clickhouse/client (node)");
        var peer = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "tests", "peers", "clickhouse-js"));
        try
        {
            if (!File.Exists(Path.Combine(peer, "node_modules", "@clickhouse", "client", "package.json")))
                await Finish(Start("npm", peer, "ci", "--no-audit", "--no-fund", "--loglevel=error"), "npm ci").ConfigureAwait(false);
            var output = await Finish(Start("node", peer, "bench.mjs", platform.ClickHouseHttp, platform.User, platform.Token, seconds.ToString(CultureInfo.InvariantCulture)), "node bench.mjs").ConfigureAwait(false);
            using var json = JsonDocument.Parse(output);
            foreach (var l in json.RootElement.GetProperty("latencies").EnumerateArray()) client.Latencies.Add(l.GetDouble());
            client.Failures = json.RootElement.GetProperty("failures").GetInt32();
            if (json.RootElement.GetProperty("lastError").ValueKind == JsonValueKind.String) client.LastError = json.RootElement.GetProperty("lastError").GetString();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
        {
            client.Failures++;
            client.LastError = e.Message;
        }
        return client;

        static Process Start(string file, string workingDirectory, params string[] args)
        {
            var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            return Process.Start(psi)!;
        }
    }
}
