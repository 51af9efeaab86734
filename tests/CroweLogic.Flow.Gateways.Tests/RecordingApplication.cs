using CroweLogic.Flow.Contracts.Execution;
using System.Collections.Concurrent;
using CroweLogic.Flow.Contracts.Events;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Fix.Messages;
using CroweLogic.Flow.Gateways.Fix.Session;

namespace CroweLogic.Flow.Gateways.Tests;

/// <summary>The initiator's application in tests: records execution reports, cancel rejects and business rejects.</summary>
internal sealed class RecordingApplication : IFixApplication
{
    private readonly SemaphoreSlim _arrived = new(0);

    public ConcurrentQueue<ExecutionReport> Reports { get; } = new();

    public ConcurrentQueue<OrderCancelRejected> CancelRejects { get; } = new();

    public ConcurrentQueue<string> BusinessRejects { get; } = new();

    public ConcurrentQueue<string> SessionRejects { get; } = new();

    public void FromApp(FixMessage message, FixSession session)
    {
        switch (message.MsgTypeString)
        {
            case FixMsgType.ExecutionReport:
                Reports.Enqueue(FixOrderMessages.ToExecutionReport(message, "TEST"));
                break;
            case FixMsgType.OrderCancelReject:
                CancelRejects.Enqueue(FixOrderMessages.ToCancelReject(message));
                break;
            case FixMsgType.BusinessMessageReject:
                BusinessRejects.Enqueue($"{message.GetString(FixTag.BusinessRejectReason)}: {message.GetString(FixTag.Text)}");
                break;
        }
        _arrived.Release();
    }

    public void FromAdmin(FixMessage message, FixSession session)
    {
        if (message.MsgTypeString == FixMsgType.Reject) SessionRejects.Enqueue($"{message.GetString(FixTag.SessionRejectReason)}: {message.GetString(FixTag.Text)}");
        _arrived.Release();
    }

    /// <summary>Waits until the condition holds, failing the test after the timeout.</summary>
    public async Task WaitUntilAsync(Func<RecordingApplication, bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition(this))
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(100, remaining.TotalMilliseconds)));
        }
    }
}
