using Temporalio.Common;

namespace CroweLogic.Flow.Workflows;

/// <summary>Search attributes the governance workflows keep current, so the Temporal UI and <c>flow workflow list --query</c> can filter on them.</summary>
public static class FlowSearchAttributes
{
    /// <summary>The artifact a workflow governs.</summary>
    public static SearchAttributeKey<string> Model { get; } = SearchAttributeKey.CreateKeyword("FlowModel");

    /// <summary>Current stage (research, checks, awaiting_approval, shadow, canary, full, rolled_back, stood_down, ...).</summary>
    public static SearchAttributeKey<string> Stage { get; } = SearchAttributeKey.CreateKeyword("FlowStage");

    /// <summary>Capital fraction currently granted.</summary>
    public static SearchAttributeKey<double> CapitalFraction { get; } = SearchAttributeKey.CreateDouble("FlowCapitalFraction");

    /// <summary>Every key with its type, for registering them on a Temporal server.</summary>
    public static IReadOnlyList<(string Name, string Type)> All { get; } = [("FlowModel", "Keyword"), ("FlowStage", "Keyword"), ("FlowCapitalFraction", "Double")];
}
