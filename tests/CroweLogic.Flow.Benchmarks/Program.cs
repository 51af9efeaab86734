using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CroweLogic.Flow.Benchmarks.MeanVarianceBenchmarks).Assembly).Run(args);
