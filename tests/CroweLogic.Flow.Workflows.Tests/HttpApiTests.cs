using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Temporalio.Worker;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>Temporal's HTTP API (what the Web UI calls) on the embedded service: routes from the SDK's HTTP rules, proto3 JSON both ways.</summary>
public class HttpApiTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_UI_calls_list_describe_read_history_query_and_signal_a_workflow_over_HTTP()
    {
        await using var temporal = await DurableTemporal.StartAsync(http: true);
        using var http = new HttpClient { BaseAddress = temporal.Service.HttpAddress };
        using var stop = new CancellationTokenSource();
        using var worker = new TemporalWorker(temporal.Client, SampleWorkflows.AddTo(new TemporalWorkerOptions("http1")).AddAllActivities(typeof(SampleActivities), null));
        var running = worker.ExecuteAsync(stop.Token);
        var handle = await temporal.Client.StartWorkflowAsync((SignalQueryWorkflow w) => w.RunAsync(), new(id: "http-wf/1", taskQueue: "http1"));

        var settings = JsonNode.Parse(await http.GetStringAsync("/api/v1/settings"))!;
        Assert.Equal("default", settings["DefaultNamespace"]!.GetValue<string>());

        var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/workflows?query=" + Uri.EscapeDataString("WorkflowType=\"SignalQueryWorkflow\"")))!;
        var execution = list["executions"]!.AsArray().Single()!;
        Assert.Equal("http-wf/1", execution["execution"]!["workflowId"]!.GetValue<string>());
        Assert.Equal("WORKFLOW_EXECUTION_STATUS_RUNNING", execution["status"]!.GetValue<string>());
        var count = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/workflow-count"))!;
        Assert.Equal("1", count["count"]!.ToString());

        // A workflow ID with a slash travels encoded, as the UI sends it.
        var id = Uri.EscapeDataString("http-wf/1");
        var described = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/default/workflows/{id}?execution.runId={handle.ResultRunId}"))!;
        Assert.Equal("SignalQueryWorkflow", described["workflowExecutionInfo"]!["type"]!["name"]!.GetValue<string>());
        Assert.Equal("http1", described["executionConfig"]!["taskQueue"]!["name"]!.GetValue<string>());

        var signal = await http.PostAsync($"/api/v1/namespaces/default/workflows/{id}/signal/Add",
            Json($$"""{"input":{"payloads":[{"metadata":{"encoding":"{{Base64("json/plain")}}"},"data":"{{Base64("\"from-the-ui\"")}}"}]},"identity":"ui-test"}"""));
        Assert.Equal(HttpStatusCode.OK, signal.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await handle.QueryAsync(w => w.Count) < 1 && DateTime.UtcNow < deadline) await Task.Delay(20);

        var query = await http.PostAsync($"/api/v1/namespaces/default/workflows/{id}/query/Count", Json("""{"execution":{"workflowId":"http-wf/1"},"query":{"queryType":"Count"}}"""));
        var answer = JsonNode.Parse(await query.Content.ReadAsStringAsync())!;
        Assert.True(query.IsSuccessStatusCode, answer.ToJsonString());
        Assert.Equal("1", Encoding.UTF8.GetString(Convert.FromBase64String(answer["queryResult"]!["payloads"]![0]!["data"]!.GetValue<string>())));

        var history = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/default/workflows/{id}/history"))!;
        var events = history["history"]!["events"]!.AsArray();
        Assert.Equal("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED", events[0]!["eventType"]!.GetValue<string>());
        Assert.Contains(events, e => e!["eventType"]!.GetValue<string>() == "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED"
            && e["workflowExecutionSignaledEventAttributes"]!["identity"]!.GetValue<string>() == "ui-test");
        var reverse = JsonNode.Parse(await http.GetStringAsync($"/api/v1/namespaces/default/workflows/{id}/history-reverse?maximumPageSize=2"))!;
        Assert.Equal(events[^1]!["eventId"]!.ToString(), reverse["history"]!["events"]![0]!["eventId"]!.ToString());
        Assert.False(string.IsNullOrEmpty(reverse["nextPageToken"]?.GetValue<string>()));

        var pollers = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/task-queues/http1?taskQueueType=TASK_QUEUE_TYPE_WORKFLOW"))!;
        Assert.NotEmpty(pollers["pollers"]!.AsArray());
        var attributes = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/search-attributes"))!;
        Assert.Equal("INDEXED_VALUE_TYPE_KEYWORD", attributes["systemAttributes"]!["WorkflowType"]!.GetValue<string>());

        await handle.SignalAsync(w => w.FinishAsync());
        Assert.Equal("from-the-ui", await handle.GetResultAsync());
        stop.Cancel();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task Errors_come_back_as_grpc_gateway_JSON_with_the_mapped_HTTP_status()
    {
        await using var temporal = await DurableTemporal.StartAsync(http: true);
        using var http = new HttpClient { BaseAddress = temporal.Service.HttpAddress };

        var missing = await http.GetAsync("/api/v1/namespaces/default/workflows/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var body = JsonNode.Parse(await missing.Content.ReadAsStringAsync())!;
        Assert.Equal(5, body["code"]!.GetValue<int>());
        Assert.Contains("workflow execution nope not found", body["message"]!.GetValue<string>());

        var malformed = await http.PostAsync("/api/v1/namespaces/default/workflows/x/signal/approve", Json("{oops"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("does not parse", (await malformed.Content.ReadAsStringAsync()));

        var badQuery = await http.GetAsync("/api/v1/namespaces/default/workflows?query=" + Uri.EscapeDataString("StartTime > '2020'"));
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);

        var unimplemented = await http.GetAsync("/api/v1/namespaces/default/schedules");
        Assert.Equal(HttpStatusCode.NotImplemented, unimplemented.StatusCode);
        Assert.Contains("ListSchedules is not implemented by the embedded Temporal service", await unimplemented.Content.ReadAsStringAsync());

        var unknown = await http.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
