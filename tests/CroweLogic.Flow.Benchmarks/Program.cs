using BenchmarkDotNet.Running;
using CroweLogic.Flow.Benchmarks;

if (args.Length > 0 && args[0] == "fix-latency")
{
    await FixLatency.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20_000);
    return;
}
if (args.Length > 0 && args[0] == "temporal-throughput")
{
    await TemporalThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 2_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MeanVarianceBenchmarks).Assembly).Run(args);
