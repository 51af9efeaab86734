using CroweLogic.Flow.Activities.Rollout;
using CroweLogic.Flow.Temporal.HttpApi;
using CroweLogic.Flow.Workflows.Rollout;
using CroweLogic.Flow.Workflows.Signing;
using PuppeteerSharp;
using Temporalio.Client;

namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>
/// The official Temporal Web UI (npm @temporalio/ui, built by <c>flow setup</c>) served by the embedded service, driven
/// in headless Debian chromium as a person controlling a rollout would: the list with the rollout's stage, model and
/// capital columns, its page and history, the <c>status</c> query, and the approve, pause and abort signals.
/// </summary>
[Collection(StoreCollection.Name)]
public class WebUiTests
{
    private static string Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Debian chromium is not installed (./test installs it with apt-get install chromium)");

    private static string BuiltUi() =>
        TemporalUiBuild.Locate() ?? throw new InvalidOperationException($"the Temporal Web UI is not built in {TemporalUiBuild.Directory} (./flow setup builds it; ./test runs it)");

    /// <summary>Where the screenshot of the workflow page goes (the repository's docs/ keeps one).</summary>
    private static string ScreenshotPath(string name) => Path.Combine(AppContext.BaseDirectory, name);

    private static Task WaitForTextAsync(IPage page, string text, int seconds = 30) =>
        page.WaitForFunctionAsync($"() => document.body && document.body.innerText.includes({System.Text.Json.JsonSerializer.Serialize(text)})", new WaitForFunctionOptions { Timeout = seconds * 1000 });

    // The UI renders some controls twice (wide and narrow layouts): act on the one that is shown.
    private static async Task ClickShownAsync(IPage page, string selector, string? text = null)
    {
        var match = text is null ? "true" : $"e.innerText.trim().split('\\n')[0].trim() === {System.Text.Json.JsonSerializer.Serialize(text)}";
        var handle = await page.WaitForFunctionAsync(
            $"() => [...document.querySelectorAll({System.Text.Json.JsonSerializer.Serialize(selector)})].find(e => e.getClientRects().length > 0 && !e.disabled && {match})",
            new WaitForFunctionOptions { Timeout = 15_000 });
        await ((IElementHandle)handle).ClickAsync();
    }

    // The UI's signal dialog: pick the signal the workflow defines, type its JSON input, submit.
    private static async Task SignalAsync(IPage page, string signal, string? json)
    {
        await ClickShownAsync(page, "#workflow-actions-menu-button");
        await ClickShownAsync(page, "[data-testid='signal-button']");
        await ClickShownAsync(page, "[data-testid='signal-select-button']");
        await ClickShownAsync(page, "[role='option']", signal);
        if (json is not null)
        {
            await ClickShownAsync(page, "#signal-confirmation-modal .cm-content");
            await page.Keyboard.TypeAsync(json);
        }
        await ClickShownAsync(page, "#signal-confirmation-modal [data-testid='confirm-modal-button']");
        await page.WaitForFunctionAsync("() => ![...document.querySelectorAll('#signal-confirmation-modal')].some(e => e.getClientRects().length > 0 && e.open !== false)",
            new WaitForFunctionOptions { Timeout = 15_000 });
    }

    private static async Task StepAsync(IPage page, string name, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch
        {
            await page.ScreenshotAsync(ScreenshotPath($"failed-{name}.png"), new ScreenshotOptions { FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task A_person_lists_opens_queries_approves_pauses_and_aborts_rollouts_in_the_Temporal_UI()
    {
        await using var h = await GovernanceHarness.StartAsync(uiDirectory: BuiltUi());
        var ui = h.Temporal.Service.HttpAddress!.ToString().TrimEnd('/');
        var hash = await h.PublishedCandidateAsync("ui");
        var approveMe = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(RolloutWorkflowTests.Plan(hash)), GovernanceHarness.Options("ui-rollout"));
        await RolloutWorkflowTests.WaitForAsync(approveMe, s => s.Reason.StartsWith("waiting for approval", StringComparison.Ordinal));

        await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = Chromium(),
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 1000 });
        // The list's columns are the UI's own per-namespace setting (its column picker stores them here).
        await page.EvaluateExpressionOnNewDocumentAsync("""
            localStorage.setItem('namespace-workflow-table-columns', JSON.stringify({ default: [
              { label: 'Status' }, { label: 'Workflow ID' }, { label: 'Type' }, { label: 'FlowStage' }, { label: 'FlowModel' }, { label: 'FlowCapitalFraction' }, { label: 'Start' } ] }));
            """);

        // The list: the rollout with its stage, model and capital.
        await page.GoToAsync($"{ui}/namespaces/default/workflows");
        await WaitForTextAsync(page, "ui-rollout");
        var row = await page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('tr')].map(r => r.innerText).find(t => t.includes('ui-rollout'))");
        Assert.Contains("Rollout", row);
        Assert.Contains("canary", row);
        Assert.Contains(hash[..12], row);
        Assert.Contains("0.05", row);

        // Its page and history.
        await page.ClickAsync("a[href*='/workflows/ui-rollout/']");
        await WaitForTextAsync(page, "Event History");
        await WaitForTextAsync(page, "rollout.run_stage");
        await page.ScreenshotAsync(ScreenshotPath("temporal-ui-rollout.png"), new ScreenshotOptions { FullPage = true });
        var workflowUrl = page.Url.Split('?')[0];
        var runPage = workflowUrl[..workflowUrl.LastIndexOf('/')];

        // The status query, from the Queries tab.
        await page.GoToAsync($"{runPage}/query");
        await page.WaitForSelectorAsync("::-p-text(Run Query)");
        await page.ClickAsync("::-p-text(Run Query)");
        await WaitForTextAsync(page, "waiting for approval of the full stage");

        // approve: the rollout goes on to full and completes.
        await page.GoToAsync($"{runPage}/history");
        await WaitForTextAsync(page, "Event History");
        await StepAsync(page, "approve", () => SignalAsync(page, "approve", """{"Who":"carol","Note":"canary within limits, from the UI"}"""));
        var done = await approveMe.GetResultAsync();
        Assert.Equal(("completed", 1.0), (done.Stage, done.CapitalFraction));
        var approved = await approveMe.FetchHistoryAsync();
        Assert.Contains(approved.Events, e => e.WorkflowExecutionSignaledEventAttributes is { SignalName: "approve" } s && s.Input.Payloads_[0].Data.ToStringUtf8().Contains("from the UI", StringComparison.Ordinal));

        // pause, then abort, on a second rollout.
        var abortMe = await h.Client.StartWorkflowAsync((RolloutWorkflow w) => w.RunAsync(RolloutWorkflowTests.Plan(hash)), GovernanceHarness.Options("ui-rollout-2"));
        await RolloutWorkflowTests.WaitForAsync(abortMe, s => s.Reason.StartsWith("waiting for approval", StringComparison.Ordinal));
        await page.GoToAsync($"{ui}/namespaces/default/workflows/ui-rollout-2/{abortMe.ResultRunId}/history");
        await WaitForTextAsync(page, "Event History");
        await StepAsync(page, "pause", () => SignalAsync(page, "pause", null));
        Assert.True((await RolloutWorkflowTests.WaitForAsync(abortMe, s => s.Paused)).Paused);
        await StepAsync(page, "abort", () => SignalAsync(page, "abort", """{"Who":"dave","Note":"desk call"}"""));
        var aborted = await abortMe.GetResultAsync();
        Assert.Equal(0, aborted.CapitalFraction);
        Assert.Contains("aborted by dave: desk call", aborted.Reason);
    }
}
