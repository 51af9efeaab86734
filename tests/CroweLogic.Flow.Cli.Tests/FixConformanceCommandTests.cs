using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CroweLogic.Flow.Gateways.Fix;
using CroweLogic.Flow.Gateways.Tests;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow fix conformance</c> as a user runs it: a real process on a real port.</summary>
public class FixConformanceCommandTests
{
    [Fact]
    public async Task The_conformance_acceptor_echoes_orders_and_rejects_other_messages()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "flow.dll"), "fix", "conformance", "--port", port.ToString(), "--sender", "FLOW", "--target", "TESTER" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        try
        {
            var banner = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains($"listening on 127.0.0.1:{port}", banner);
            await using var peer = await RawFixPeer.ConnectAsync(port, sender: "TESTER", target: "FLOW");
            await peer.LogonAsync();
            await peer.SendAsync(FixMsgType.NewOrderSingle, b => b.Add(FixTag.ClOrdId, "c-1").Add(FixTag.Symbol, "IBM").Add(FixTag.Side, '2')
                .AddTimestamp(FixTag.TransactTime, 0).Add(FixTag.OrderQty, 7).Add(FixTag.OrdType, '1'));
            var echo = await peer.ExpectAsync(FixMsgType.NewOrderSingle);
            Assert.Equal(("c-1", "IBM", "7"), (echo.GetString(FixTag.ClOrdId), echo.GetString(FixTag.Symbol), echo.GetString(FixTag.OrderQty)));
            await peer.SendAsync(FixMsgType.OrderCancelRequest, b => b.Add(FixTag.OrigClOrdId, "c-1").Add(FixTag.ClOrdId, "c-2").Add(FixTag.Symbol, "IBM")
                .Add(FixTag.Side, '2').AddTimestamp(FixTag.TransactTime, 0));
            var reject = await peer.ExpectAsync(FixMsgType.BusinessMessageReject);
            Assert.Equal(("3", "F"), (reject.GetString(FixTag.BusinessRejectReason), reject.GetString(FixTag.RefMsgType)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_missing_dictionary_is_a_bad_input_error()
    {
        using var flow = new FlowProcess();
        var (exit, _, error) = await flow.RunAsync("fix", "conformance", "--port", "1", "--sender", "A", "--target", "B", "--dictionary", "/nonexistent/FIX44.xml");
        Assert.Equal(2, exit);
        Assert.Equal("flow: error: dictionary file /nonexistent/FIX44.xml does not exist", error.Trim());
    }
}
