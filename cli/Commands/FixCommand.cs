using System.CommandLine;
using System.Net;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow fix conformance</c>: a FIX 4.4 acceptor for third-party session test suites.</summary>
internal static class FixCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on", Required = true };
        var sender = new Option<string>("--sender") { Description = "Our SenderCompID", Required = true };
        var target = new Option<string>("--target") { Description = "The counterparty's CompID", Required = true };
        var dictionary = new Option<FileInfo?>("--dictionary") { Description = "QuickFIX-format data dictionary (default: the embedded FIX 4.4 subset)" };
        var bind = new Option<string>("--bind") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Message store directory (default: in memory)" };
        var logDir = new Option<DirectoryInfo?>("--log") { Description = "Directory for events.log and messages.log" };
        var reset = new Option<bool>("--reset-on-logon") { Description = "Reset sequence numbers at every logon" };
        var latency = new Option<int>("--max-latency") { Description = "SendingTime tolerance in seconds", DefaultValueFactory = _ => 120 };

        var conformance = new Command("conformance", "Run an acceptor that echoes NewOrderSingle and SecurityDefinition and rejects other application messages (35=j, 380=3), until Ctrl+C")
        {
            port, sender, target, dictionary, bind, store, logDir, reset, latency,
        };
        conformance.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new ArgumentException($"--bind {parse.GetValue(bind)} is not an IP address");
            var dictionaryFile = parse.GetValue(dictionary);
            var settings = new FixSessionSettings(parse.GetValue(sender)!, parse.GetValue(target)!)
            {
                Dictionary = dictionaryFile is null ? FixDictionary.Fix44 : FixDictionary.Load(dictionaryFile.FullName),
                ResetOnLogon = parse.GetValue(reset),
                MaxLatency = TimeSpan.FromSeconds(parse.GetValue(latency)),
            };
            using var fileLog = parse.GetValue(logDir) is { } dir ? new FileFixLog(dir.FullName) : null;
            var log = new ConsoleFixLog(fileLog);
            using IFixMessageStore messageStore = parse.GetValue(store) is { } storeDir ? new FileFixMessageStore(storeDir.FullName) : new MemoryFixMessageStore();
            var acceptor = new FixAcceptor(log, settings);
            await using (acceptor.ConfigureAwait(false))
            {
                acceptor.AddSession(settings, messageStore, new FixConformanceApplication());
                var endpoint = acceptor.Start(address, parse.GetValue(port));
                Console.WriteLine($"FIX conformance acceptor {settings.SessionId} listening on {endpoint} (Ctrl+C to stop)");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            Console.WriteLine("stopped");
            return 0;
        }));
        return new Command("fix", "The FIX 4.4 engine") { conformance };
    }

    // Session events to stderr (and the file log when given); messages only to the file log.
    private sealed class ConsoleFixLog(FileFixLog? file) : IFixLog
    {
        public void Event(string session, string text)
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {session}: {text}");
            file?.Event(session, text);
        }

        public void Incoming(string session, ReadOnlySpan<byte> frame) => file?.Incoming(session, frame);

        public void Outgoing(string session, ReadOnlySpan<byte> frame) => file?.Outgoing(session, frame);
    }
}
