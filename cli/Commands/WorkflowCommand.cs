using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Temporalio.Client;

namespace CroweLogic.Flow.Cli.Commands;

/// <summary><c>flow workflow …</c>: drive Temporal workflows from the shell with JSON in and out.</summary>
internal static class WorkflowCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var id = new Argument<string>("workflow-id") { Description = "Workflow ID" };
        var run = new Option<string?>("--run-id") { Description = "A specific run (default: the latest)" };
        var inputs = new Option<string[]>("--input", "-i") { Description = "An argument as JSON (repeat for several)", AllowMultipleArgumentsPerToken = false };

        var type = new Argument<string>("workflow-type") { Description = "Workflow type name" };
        var startId = new Option<string?>("--id") { Description = "Workflow ID (default: <type>-<guid>)" };
        var queue = new Option<string>("--task-queue", "-q") { Description = "Task queue", DefaultValueFactory = _ => "flow" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the result and print it" };
        var start = new Command("start", "Start a workflow; prints its IDs (and with --wait its result) as JSON") { type, startId, queue, inputs, wait };
        start.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            var workflowId = parse.GetValue(startId) ?? $"{parse.GetValue(type)}-{Guid.NewGuid():N}";
            var handle = await client.StartWorkflowAsync(parse.GetValue(type)!, Arguments(parse.GetValue(inputs)), new WorkflowOptions(workflowId, parse.GetValue(queue)!));
            var output = new JsonObject { ["workflowId"] = handle.Id, ["runId"] = handle.ResultRunId };
            if (parse.GetValue(wait)) output["result"] = JsonNode.Parse((await handle.GetResultAsync<JsonElement>()).GetRawText());
            return output;
        }));

        var signalName = new Argument<string>("signal") { Description = "Signal name" };
        var signal = new Command("signal", "Send a signal") { id, signalName, run, inputs };
        signal.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            await Handle(client, parse, id, run).SignalAsync(parse.GetValue(signalName)!, Arguments(parse.GetValue(inputs)));
            return new JsonObject { ["signaled"] = parse.GetValue(signalName) };
        }));

        var queryName = new Argument<string>("query") { Description = "Query name" };
        var query = new Command("query", "Run a query; prints the answer as JSON") { id, queryName, run, inputs };
        query.SetAction((parse, ct) => Run(parse, ct, async client =>
            JsonNode.Parse((await Handle(client, parse, id, run).QueryAsync<JsonElement>(parse.GetValue(queryName)!, Arguments(parse.GetValue(inputs)))).GetRawText())));

        var cancel = new Command("cancel", "Request cancellation") { id, run };
        cancel.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            await Handle(client, parse, id, run).CancelAsync();
            return new JsonObject { ["cancelRequested"] = true };
        }));

        var reason = new Option<string?>("--reason") { Description = "Why (recorded in history)" };
        var terminate = new Command("terminate", "Terminate (no cleanup runs)") { id, run, reason };
        terminate.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            await Handle(client, parse, id, run).TerminateAsync(parse.GetValue(reason));
            return new JsonObject { ["terminated"] = true };
        }));

        var describe = new Command("describe", "Status, type, times, memo as JSON") { id, run };
        describe.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            var d = await Handle(client, parse, id, run).DescribeAsync();
            var memo = new JsonObject();
            foreach (var (key, value) in d.Memo) memo[key] = JsonNode.Parse((await value.ToValueAsync<JsonElement>()).GetRawText());
            var info = Execution(d);
            info["historyLength"] = d.HistoryLength;
            info["taskQueue"] = d.TaskQueue;
            info["memo"] = memo;
            return info;
        }));

        var filter = new Option<string?>("--query") { Description = "Visibility query, e.g. \"WorkflowType = 'Rollout' AND ExecutionStatus = 'Running'\"" };
        var list = new Command("list", "List executions as a JSON array") { filter };
        list.SetAction((parse, ct) => Run(parse, ct, async client =>
        {
            var array = new JsonArray();
            await foreach (var execution in client.ListWorkflowsAsync(parse.GetValue(filter) ?? "")) array.Add(Execution(execution));
            return array;
        }));

        var history = new Command("history", "The event history as Temporal's JSON") { id, run };
        history.SetAction((parse, ct) => Run(parse, ct, async client =>
            JsonNode.Parse((await Handle(client, parse, id, run).FetchHistoryAsync()).ToJson())));

        return new Command("workflow", "Start, signal, query, cancel, terminate, describe, list workflows and read their history") { start, signal, query, cancel, terminate, describe, list, history };
    }

    private static WorkflowHandle Handle(ITemporalClient client, ParseResult parse, Argument<string> id, Option<string?> run) =>
        client.GetWorkflowHandle(parse.GetValue(id)!, parse.GetValue(run));

    private static JsonObject Execution(WorkflowExecution e) => new()
    {
        ["workflowId"] = e.Id,
        ["runId"] = e.RunId,
        ["type"] = e.WorkflowType,
        ["status"] = e.Status.ToString(),
        ["startTime"] = e.StartTime.ToString("O"),
        ["closeTime"] = e.CloseTime?.ToString("O"),
    };

    private static object?[] Arguments(string[]? inputs)
    {
        try
        {
            return [.. (inputs ?? []).Select(i => (object?)JsonDocument.Parse(i).RootElement.Clone())];
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--input is not valid JSON: {e.Message}");
        }
    }

    private static Task<int> Run(ParseResult parse, CancellationToken ct, Func<ITemporalClient, Task<JsonNode?>> body) => CliErrors.Guard(async () =>
    {
        var connection = await GlobalOptions.ConnectTemporalAsync(parse, ct);
        await using (connection.ConfigureAwait(false))
        {
            var output = await body(connection.Client);
            Console.WriteLine(output?.ToJsonString(Indented) ?? "null");
        }
        return 0;
    });
}
