using System.Text.Json;
using CroweLogic.Flow.Temporal;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary><c>flow workflow …</c> against a Temporal service (the in-process one, started by the test) with a worker in the test.</summary>
public class WorkflowCommandTests
{
    [Workflow]
    public class TallyWorkflow
    {
        private int _total;
        private bool _closed;

        [WorkflowRun]
        public async Task<int> RunAsync(int start)
        {
            _total = start;
            await Workflow.WaitConditionAsync(() => _closed);
            return _total;
        }

        [WorkflowSignal]
        public Task AddAsync(int amount)
        {
            _total += amount;
            return Task.CompletedTask;
        }

        [WorkflowSignal]
        public Task CloseAsync()
        {
            _closed = true;
            return Task.CompletedTask;
        }

        [WorkflowQuery]
        public int Total() => _total;
    }

    [Fact]
    public async Task Workflows_are_driven_from_the_command_line_with_json()
    {
        await using var service = await EmbeddedTemporalService.StartAsync();
        using var worker = new TemporalWorker(service.Client, new TemporalWorkerOptions("flow").AddWorkflow<TallyWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            using var flow = new FlowProcess();
            async Task<JsonElement> Flow(params string[] args)
            {
                var (exit, output, error) = await flow.RunAsync([.. args, "--temporal", service.Target]);
                Assert.True(exit == 0, $"flow {string.Join(' ', args)} exited {exit}: {error}");
                return JsonDocument.Parse(output).RootElement;
            }

            var started = await Flow("workflow", "start", "TallyWorkflow", "--id", "tally-1", "--input", "10");
            Assert.Equal("tally-1", started.GetProperty("workflowId").GetString());
            await Flow("workflow", "signal", "tally-1", "Add", "--input", "5");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await Flow("workflow", "query", "tally-1", "Total")).GetInt32() != 15 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal(15, (await Flow("workflow", "query", "tally-1", "Total")).GetInt32());
            Assert.Equal("Running", (await Flow("workflow", "describe", "tally-1")).GetProperty("status").GetString());
            var listed = await Flow("workflow", "list", "--query", "WorkflowType = 'TallyWorkflow'");
            Assert.Equal("tally-1", listed[0].GetProperty("workflowId").GetString());
            await Flow("workflow", "signal", "tally-1", "Close");
            await Task.Delay(300);
            var history = await Flow("workflow", "history", "tally-1");
            Assert.Contains("EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED", history.GetRawText());
            var second = await Flow("workflow", "start", "TallyWorkflow", "--id", "tally-2", "--input", "1");
            await Flow("workflow", "terminate", "tally-2", "--reason", "test");
            Assert.Equal("Terminated", (await Flow("workflow", "describe", "tally-2")).GetProperty("status").GetString());
            var (badExit, _, badError) = await flow.RunAsync("workflow", "start", "TallyWorkflow", "--input", "{oops", "--temporal", service.Target);
            Assert.Equal(2, badExit);
            Assert.Contains("--input is not valid JSON", badError);
        });
    }
}
