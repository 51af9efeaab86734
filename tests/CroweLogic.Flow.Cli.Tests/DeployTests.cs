using System.Diagnostics;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Cli.Tests;

/// <summary>
/// deploy/ as written: the compose file passes docker-compose's own validation, every Kubernetes manifest passes the
/// API's OpenAPI schema (kubernetes-models, tests/peers/k8s-lint), and both share one ClickHouse and one Temporal
/// among the workers, with a lane queue per worker and the search attributes registered by a job.
/// </summary>
public class DeployTests
{
    private static readonly string Deploy = Path.Combine(SharedPaths.RepositoryRoot, "deploy");

    private static async Task<(int Exit, string Output)> RunAsync(string file, string directory, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_compose_file_is_valid_and_its_workers_share_the_ClickHouse_server_and_Temporal()
    {
        var (exit, output) = await RunAsync("docker-compose", Deploy, "-f", "compose.yaml", "config");
        Assert.True(exit == 0, output);
        Assert.Contains("CLICKHOUSE_URL: http://flow:flow-dev-password@clickhouse:8123/flow", output);
        Assert.Contains("TEMPORAL_ADDRESS: temporal:7233", output);
        Assert.Contains("condition: service_completed_successfully", output);
        Assert.Contains("image: temporalio/ui:2.38.0", output);
        Assert.DoesNotContain("FLOW_DATA_DIR: /data\n    volumes:\n    - flow-data", output);
    }

    [Fact]
    public async Task Every_Kubernetes_manifest_passes_the_API_schema_and_a_broken_one_does_not()
    {
        var peer = Path.Combine(SharedPaths.RepositoryRoot, "tests", "peers", "k8s-lint");
        var manifests = Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml");
        Assert.NotEmpty(manifests);
        var (exit, output) = await RunAsync("node", peer, ["lint.mjs", .. manifests]);
        Assert.True(exit == 0, output);
        foreach (var kind in new[] { "StatefulSet/flow-clickhouse", "Deployment/temporal", "Deployment/temporal-ui", "Job/register-search-attributes", "Deployment/flow-worker" })
            Assert.Contains($"{kind}: valid", output);

        var text = await File.ReadAllTextAsync(Path.Combine(Deploy, "k8s", "platform.yaml"));
        var worker = text[text.IndexOf("name: flow-worker", StringComparison.Ordinal)..];
        Assert.Contains("http://flow:$(CLICKHOUSE_PASSWORD)@flow-clickhouse:8123/flow", worker);
        Assert.Contains("flow-lanes@$(POD_NAME)", worker);
        Assert.DoesNotContain("emptyDir", worker);

        using var broken = new TempDirectory("flow-k8s-");
        var bad = broken.File("bad.yaml");
        await File.WriteAllTextAsync(bad, text.Replace("  replicas: 2", "  replicas: two", StringComparison.Ordinal));
        var (badExit, badOutput) = await RunAsync("node", peer, "lint.mjs", bad);
        Assert.Equal(1, badExit);
        Assert.Contains("Deployment/flow-worker: data/spec/replicas must be integer", badOutput);
    }
}
