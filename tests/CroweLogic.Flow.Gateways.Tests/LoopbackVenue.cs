using System.Net;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>Our acceptor on a loopback port serving one session FLOW←CLIENT with the test venue behind it.</summary>
internal sealed class LoopbackVenue : IAsyncDisposable
{
    private LoopbackVenue(FixAcceptor acceptor, FixSession session, TestVenueApplication venue, MemoryFixLog log, int port)
    {
        Acceptor = acceptor;
        Session = session;
        Venue = venue;
        Log = log;
        Port = port;
    }

    public FixAcceptor Acceptor { get; }

    public FixSession Session { get; }

    public TestVenueApplication Venue { get; }

    public MemoryFixLog Log { get; }

    public int Port { get; }

    public static LoopbackVenue Start(Func<FixSessionSettings, FixSessionSettings>? configure = null, IFixMessageStore? store = null, TestVenueApplication? venue = null, IFixApplication? application = null)
    {
        var settings = new FixSessionSettings("FLOW", "CLIENT") { LogonTimeout = TimeSpan.FromSeconds(3), PartialFrameTimeout = TimeSpan.FromSeconds(1) };
        settings = configure?.Invoke(settings) ?? settings;
        var log = new MemoryFixLog(keepMessages: true);
        var acceptor = new FixAcceptor(log, settings);
        venue ??= new TestVenueApplication();
        var session = acceptor.AddSession(settings, store ?? new MemoryFixMessageStore(), application ?? venue);
        var endpoint = acceptor.Start(IPAddress.Loopback, 0);
        return new LoopbackVenue(acceptor, session, venue, log, endpoint.Port);
    }

    public bool Logged(string fragment) => Log.Events.Any(e => e.Contains(fragment, StringComparison.Ordinal));

    public async Task WaitForEventAsync(string fragment, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Logged(fragment))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"no event containing \"{fragment}\"; events: {string.Join(" / ", Log.Events)}");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Acceptor.DisposeAsync();
}
