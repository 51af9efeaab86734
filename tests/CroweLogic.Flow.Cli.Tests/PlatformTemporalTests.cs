using System.Diagnostics;
using System.Text.Json.Nodes;
using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>The platform's durable Temporal as users meet it: separate processes meet on it, and it survives a kill -9.</summary>
public class PlatformTemporalTests
{
    private static async Task<JsonNode> Json(FlowProcess flow, params string[] args)
    {
        var (exit, stdout, stderr) = await flow.RunAsync(args);
        Assert.True(exit == 0, $"flow {string.Join(' ', args)} exited {exit}: {stderr}{stdout}");
        return JsonNode.Parse(stdout)!;
    }

    private static async Task<JsonNode> StatusWhen(FlowProcess flow, string id, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonNode? status = null;
        while (DateTime.UtcNow < deadline)
        {
            var (exit, stdout, _) = await flow.RunAsync("workflow", "query", id, "status");
            if (exit == 0 && JsonNode.Parse(stdout) is { } s && done(s)) return s;
            status = exit == 0 ? JsonNode.Parse(stdout) : null;
            await Task.Delay(250);
        }
        throw new TimeoutException($"workflow {id} did not reach the expected status: {status?.ToJsonString()}");
    }

    [Fact]
    public async Task Worker_and_workflow_commands_in_separate_processes_meet_on_flow_up_and_a_kill_9_mid_incident_loses_nothing()
    {
        using var flow = new FlowProcess();
        var temporalPort = FlowProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] upArgs = ["up", "--http-port", "0", "--flight-port", "0", "--metrics-port", "0", "--temporal-port", temporalPort, "--temporal-ui-port", "0"];
        var up = flow.Start(upArgs);
        Process? worker = null;
        try
        {
            var platform = await flow.WaitForPlatformAsync(up);
            Assert.Equal($"127.0.0.1:{temporalPort}", platform.Temporal);

            // A worker of its own, in another process, on another queue.
            worker = flow.Start("worker", "--task-queue", "side");
            var polling = await worker.StandardOutput.ReadLineAsync();
            Assert.Contains($"worker polling side (lane queue flow-lanes@{Environment.MachineName}-", polling);
            Assert.Contains($"on Temporal of flow up (pid {platform.Pid}) at 127.0.0.1:{temporalPort}", polling);

            // An incident: stand down, flatten, page the desk, and escalate to the CTO if the desk does not acknowledge in 10 s
            // (wide enough for the status polls, each a process of its own, to see level 0 on a loaded machine before the kill).
            const string plan = """{"Incident":{"IncidentId":"inc-1","Deployment":"paper-1","ArtifactHash":"abc","Trigger":"kill_switch","Detail":"drill"},"Escalation":[{"Recipient":"desk","WaitForAck":"00:00:10"},{"Recipient":"cto","WaitForAck":"01:00:00"}]}""";
            var started = await Json(flow, "workflow", "start", "IncidentResponse", "--id", "inc-1", "--input", plan);
            Assert.Equal("inc-1", started["workflowId"]!.GetValue<string>());
            await StatusWhen(flow, "inc-1", s => s["Stage"]?.GetValue<string>() == "paging" && s["EscalationLevel"]!.GetValue<int>() == 0);

            // kill -9 while the desk's escalation timer runs.
            up.Kill();
            await up.WaitForExitAsync();
            var (down, _, downError) = await flow.RunAsync("workflow", "list");
            Assert.Equal(4, down);
            Assert.Contains($"no Temporal service for {flow.DataDir}: the flow up recorded in flow.json (pid {platform.Pid}) is gone; start the platform there with `flow up`", downError);

            up.Dispose();
            up = flow.Start(upArgs);
            await flow.WaitForPlatformAsync(up);
            // The timer fired while the platform was down (or on its restart): the incident escalated once, to the CTO.
            await StatusWhen(flow, "inc-1", s => s["EscalationLevel"]!.GetValue<int>() == 1 && s["Stage"]?.GetValue<string>() == "paging");
            // A malformed acknowledgement is refused at the door and never reaches the workflow.
            var (badExit, _, badError) = await flow.RunAsync("workflow", "signal", "inc-1", "acknowledge", "--input", """{"Who":5,"Note":"typo"}""");
            Assert.NotEqual(0, badExit);
            Assert.Contains("signal acknowledge of IncidentResponse refused: argument ack is not a ApprovalSignal", badError);
            var history = (await flow.RunAsync("workflow", "history", "inc-1")).Out;
            Assert.Contains("incident.notify", history);
            Assert.DoesNotContain("signaled", history, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, (await flow.RunAsync("workflow", "signal", "inc-1", "acknowledge", "--input", """{"Who":"alice","Note":"on it"}""")).Exit);
            await StatusWhen(flow, "inc-1", s => s["Stage"]?.GetValue<string>() == "awaiting_resume_approval");
            Assert.Equal(0, (await flow.RunAsync("workflow", "signal", "inc-1", "approve_resume", "--input", """{"Who":"bob","Note":"post-mortem read"}""")).Exit);
            await StatusWhen(flow, "inc-1", s => s["Stage"]?.GetValue<string>() == "resumed");

            // The worker process that never stopped reconnected to the restarted service and still answers its queue.
            var health = await Json(flow, "workflow", "start", "HealthCheck", "--task-queue", "side", "--wait");
            Assert.Equal($"worker {Environment.MachineName}/{worker.Id} on task queue side", health["result"]!.GetValue<string>());

            // The same workflow through Temporal's HTTP API, as the Web UI lists it: stage as a search attribute.
            using (var http = new HttpClient())
            {
                var ui = PlatformFile.Read(flow.DataDir)!.TemporalUi;
                var page = JsonNode.Parse(await http.GetStringAsync($"{ui}api/v1/namespaces/default/workflows?query=" + Uri.EscapeDataString("WorkflowId = 'inc-1'")))!;
                var stage = page["executions"]![0]!["searchAttributes"]!["indexedFields"]!["FlowStage"]!["data"]!.GetValue<string>();
                Assert.Equal("\"resumed\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stage)));
            }

            var listed = (await Json(flow, "workflow", "list")).AsArray();
            Assert.Contains(listed, w => w!["workflowId"]!.GetValue<string>() == "inc-1" && w["status"]!.GetValue<string>() == "Completed");

            // Exactly one audit entry per step: nothing re-ran across the kill -9.
            var (_, audit, _) = await flow.RunAsync("sql", "SELECT action, count() FROM audit_log WHERE action LIKE 'incident.%' GROUP BY action ORDER BY action", "--format", "csv");
            Assert.Equal("\"action\",\"count()\"\n\"incident.flatten\",1\n\"incident.notify\",2\n\"incident.post_mortem\",1\n\"incident.resume\",1\n\"incident.stand_down\",1\n", audit);
        }
        finally
        {
            if (worker is { HasExited: false }) worker.Kill();
            if (!up.HasExited) up.Kill();
            up.Dispose();
            worker?.Dispose();
        }
    }

    [Fact]
    public async Task Without_a_platform_workflow_commands_say_how_to_get_a_Temporal_service()
    {
        using var flow = new FlowProcess();
        var (exit, _, error) = await flow.RunAsync("workflow", "list");
        Assert.Equal(4, exit);
        Assert.Contains($"no Temporal service for {flow.DataDir}: start the platform there with `flow up`", error);
    }
}
