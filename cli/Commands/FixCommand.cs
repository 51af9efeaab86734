using System.CommandLine;
using System.Net;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow fix conformance</c>: a FIX acceptor for session test suites (QuickFIX's acceptance suite among them).</summary>
internal static class FixCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on", Required = true };
        var sender = new Option<string>("--sender") { Description = "Our SenderCompID", Required = true };
        var target = new Option<string[]>("--target") { Description = "The counterparty's CompID (several: a session for each)", Required = true, AllowMultipleArgumentsPerToken = true };
        var dictionary = new Option<FileInfo?>("--dictionary") { Description = "QuickFIX-format data dictionary of the one session (default: the embedded FIX 4.4 dictionary, QuickFIX's FIX44.xml)" };
        var specDir = new Option<DirectoryInfo?>("--spec-dir") { Description = "Directory of QuickFIX specification files (FIX40.xml … FIX50SP2.xml, FIXT11.xml): serve a session per version" };
        var beginString = new Option<string[]>("--begin-string") { Description = "BeginStrings to serve (default: FIX.4.4 alone, or every version with --spec-dir)", AllowMultipleArgumentsPerToken = true };
        var bind = new Option<string>("--bind") { Description = "Address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var store = new Option<DirectoryInfo?>("--store") { Description = "Message store directory, a subdirectory per session (default: in memory)" };
        var logDir = new Option<DirectoryInfo?>("--log") { Description = "Directory for events.log and messages.log" };
        var reset = new Option<bool>("--reset-on-logon") { Description = "Reset sequence numbers at every logon" };
        var latency = new Option<int>("--max-latency") { Description = "SendingTime tolerance in seconds", DefaultValueFactory = _ => 120 };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print session events to stderr" };

        var conformance = new Command("conformance", "Run an acceptor that echoes NewOrderSingle, SecurityDefinition and Email and answers other application messages as unsupported, until Ctrl+C")
        {
            port, sender, target, dictionary, specDir, beginString, bind, store, logDir, reset, latency, quiet,
        };
        conformance.SetAction((parse, ct) => CliErrors.Guard(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address)) throw new ArgumentException($"--bind {parse.GetValue(bind)} is not an IP address");
            var targets = parse.GetValue(target)!;
            var template = new FixSessionSettings(parse.GetValue(sender)!, targets[0])
            {
                ResetOnLogon = parse.GetValue(reset),
                MaxLatency = TimeSpan.FromSeconds(parse.GetValue(latency)),
            };
            var versions = parse.GetValue(beginString) is { Length: > 0 } named ? named : null;
            var sessions = new List<FixSessionSettings>();
            if (parse.GetValue(specDir) is { } spec)
            {
                if (!spec.Exists) throw new ArgumentException($"--spec-dir {spec.FullName} does not exist");
                if (parse.GetValue(dictionary) is not null) throw new ArgumentException("give --dictionary or --spec-dir, not both");
                foreach (var version in versions ?? [.. FixSpecification.BeginStrings])
                {
                    var settings = FixSpecification.Settings(spec.FullName, version, template);
                    sessions.AddRange(targets.Select(t => settings with { TargetCompId = t }));
                }
            }
            else
            {
                var dictionaryFile = parse.GetValue(dictionary);
                var one = template with { Dictionary = dictionaryFile is null ? FixDictionary.Fix44 : FixDictionary.Load(dictionaryFile.FullName) };
                if (versions is { Length: > 1 }) throw new ArgumentException("one --dictionary serves one BeginString; use --spec-dir for several versions");
                var beginStringOfOne = versions is [var single] ? single : one.Dictionary!.BeginString;
                sessions.AddRange(targets.Select(t => one with { BeginString = beginStringOfOne, TargetCompId = t }));
            }
            using var fileLog = parse.GetValue(logDir) is { } dir ? new FileFixLog(dir.FullName) : null;
            var log = new ConsoleFixLog(fileLog, parse.GetValue(quiet));
            var stores = sessions.Select(s => parse.GetValue(store) is { } storeDir
                ? (IFixMessageStore)new FileFixMessageStore(Path.Combine(storeDir.FullName, s.SessionId.Replace(':', '_').Replace('>', '_')))
                : new MemoryFixMessageStore()).ToList();
            try
            {
                var acceptor = new FixAcceptor(log, template);
                await using (acceptor.ConfigureAwait(false))
                {
                    var application = new FixConformanceApplication();
                    for (var i = 0; i < sessions.Count; i++) acceptor.AddSession(sessions[i], stores[i], application);
                    var endpoint = acceptor.Start(address, parse.GetValue(port));
                    Console.WriteLine($"FIX conformance acceptor listening on {endpoint}: {string.Join(", ", sessions.Select(s => s.SessionId))} (Ctrl+C to stop)");
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }
            finally
            {
                foreach (var messageStore in stores) messageStore.Dispose();
            }
            Console.WriteLine("stopped");
            return 0;
        }));
        return new Command("fix", "The FIX engine (FIX 4.0–4.4, FIXT 1.1 with FIX 5.0–5.0SP2)") { conformance };
    }

    // Session events to stderr (and the file log when given); messages only to the file log.
    private sealed class ConsoleFixLog(FileFixLog? file, bool quiet) : IFixLog
    {
        public void Event(string session, string text)
        {
            if (!quiet) Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {session}: {text}");
            file?.Event(session, text);
        }

        public void Incoming(string session, ReadOnlySpan<byte> frame) => file?.Incoming(session, frame);

        public void Outgoing(string session, ReadOnlySpan<byte> frame) => file?.Outgoing(session, frame);
    }
}
