using System.CommandLine;
using System.Net;
using CroweLogic.Flow.Gateways.Flight;
using CroweLogic.Flow.Host;
using CroweLogic.Flow.Storage;
using CroweLogic.Flow.Storage.Migrations;
using Microsoft.Extensions.Logging;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow serve</c>: the Arrow Flight data service over the store, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0 picks a free one)", DefaultValueFactory = _ => FlightServiceOptions.DefaultPort };
        var accessFile = new Option<string?>("--access-file") { Description = "JSON access file naming principals, roles and tokens (default: one read-write token from $FLOW_FLIGHT_TOKEN or generated into <data-dir>/flight-token)" };
        var cert = new Option<string?>("--tls-cert") { Description = "Serve TLS with this certificate (PEM with --tls-key, or PKCS#12)" };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var maxRows = new Option<long>("--sql-max-rows") { Description = "Row budget of one SQL ticket", DefaultValueFactory = _ => FlightBudget.Default.MaxRows };
        var maxBytes = new Option<long>("--sql-max-bytes") { Description = "Byte budget of one SQL ticket", DefaultValueFactory = _ => FlightBudget.Default.MaxBytes };
        var timeout = new Option<double>("--sql-timeout") { Description = "Seconds one SQL ticket may run", DefaultValueFactory = _ => FlightBudget.Default.Timeout.TotalSeconds };
        var otel = TelemetryExport.Option();
        var command = new Command("serve", "Serve the store over Arrow Flight: datasets, read-only SQL, validated puts (Ctrl+C to stop)")
        {
            host, port, accessFile, cert, key, maxRows, maxBytes, timeout, otel,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(host), out var address)) throw new FlightConfigurationException($"--host {parse.GetValue(host)} is not an IP address");
            var access = parse.GetValue(accessFile) is { } file ? FlightAccessList.Load(file) : DefaultAccess(parse);
            var certificate = parse.GetValue(cert) is { } certPath
                ? FlightServiceOptions.LoadCertificate(certPath, parse.GetValue(key), Environment.GetEnvironmentVariable("FLOW_TLS_PASSWORD"))
                : null;
            var budget = new FlightBudget(parse.GetValue(maxRows), parse.GetValue(maxBytes), TimeSpan.FromSeconds(parse.GetValue(timeout))).Validated();
            using var telemetry = TelemetryExport.Start(parse.GetValue(otel), FlightTelemetry.Name);

            using var store = await GlobalOptions.OpenStoreAsync(parse, ct);
            await SchemaMigrator.MigrateAsync(store, ct);
            var options = new FlightServiceOptions { Address = address, Port = parse.GetValue(port), Access = access, Budget = budget, Certificate = certificate };
            await using var service = await FlightService.StartAsync(store, options, logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning), ct);
            Console.WriteLine($"flow serve: Arrow Flight on {service.Location} ({(certificate is null ? "cleartext HTTP/2" : "TLS")}) over {store.Description}");
            Console.WriteLine($"principals: {string.Join(", ", access.Principals.Select(p => $"{p.Name} ({(p.Role == FlightRole.Read ? "read" : "read_write")})"))}; SQL budget {budget.MaxRows:N0} rows, {budget.MaxBytes:N0} bytes, {budget.Timeout.TotalSeconds:0.#} s (Ctrl+C to stop)");
            try
            {
                await service.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            Console.WriteLine("flow serve: stopped");
            return 0;
        }));
        return command;
    }

    /// <summary>One read-write principal: the token from the environment, else one generated into a file only the user can read.</summary>
    private static FlightAccessList DefaultAccess(ParseResult parse)
    {
        var (access, _, source) = LocalAccess.Load(parse.GetValue(GlobalOptions.DataDir) ?? FlowStores.DefaultDataDirectory);
        Console.WriteLine($"flow serve: one read-write principal '{LocalAccess.User}'; its bearer token is in {source}");
        return access;
    }
}
