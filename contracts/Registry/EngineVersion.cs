using System.Reflection;

namespace CroweLogic.Flow.Contracts.Registry;

/// <summary>The engine that resolves and runs policies: its version with the source revision it was built from.</summary>
public static class EngineVersion
{
    /// <summary>The informational version of this build (version + source revision).</summary>
    public static string Current { get; } =
        typeof(EngineVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
