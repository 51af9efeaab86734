using BenchmarkDotNet.Running;
using CroweLogic.Flow.Benchmarks;

if (args.Length > 0 && args[0] == "fix-latency")
{
    await FixLatency.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 20_000, args.Length > 2 ? int.Parse(args[2]) : 3);
    return;
}
if (args.Length > 0 && args[0] == "fix-latency-venue")
{
    await FixLatency.ServeVenueAsync();
    return;
}
if (args.Length > 0 && args[0] == "fix-fuzz")
{
    await FixFuzzRun.RunAsync(args.Length > 1 ? long.Parse(args[1]) : 10_000_000);
    return;
}
if (args.Length > 0 && args[0] == "temporal-throughput")
{
    await TemporalThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 2_000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MeanVarianceBenchmarks).Assembly).Run(args);
