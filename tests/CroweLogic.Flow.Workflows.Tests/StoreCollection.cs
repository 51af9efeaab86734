namespace CroweLogic.Flow.Workflows.Tests;

/// <summary>libchdb runs one engine per process: tests that open a store run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StoreCollection
{
    public const string Name = "embedded store";
}
