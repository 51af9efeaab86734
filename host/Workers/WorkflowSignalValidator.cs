using System.Reflection;
using CroweLogic.Flow.Temporal;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;
using Temporalio.Workflows;

namespace CroweLogic.Flow.Host.Workers;

/// <summary>
/// Validates signal inputs against the parameter types the workflows declare (their [WorkflowSignal] methods), by
/// decoding them with the data converter the workers use: an approval that is not an ApprovalSignal, a missing
/// argument or one too many is refused before it is accepted, whoever sends it (the CLI, the Web UI, an SDK client).
/// </summary>
public sealed class WorkflowSignalValidator : ISignalValidator
{
    private readonly Dictionary<(string Workflow, string Signal), ParameterInfo[]> _signals = [];
    private readonly IPayloadConverter _converter;

    /// <summary>Validator for the signals of <paramref name="workflows"/>.</summary>
    public WorkflowSignalValidator(IEnumerable<Type> workflows, IPayloadConverter? converter = null)
    {
        _converter = converter ?? DataConverter.Default.PayloadConverter;
        foreach (var type in workflows)
        {
            var definition = WorkflowDefinition.Create(type);
            if (definition.Name is not { } name) continue;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<WorkflowSignalAttribute>() is null) continue;
                var signal = WorkflowSignalDefinition.FromMethod(method);
                if (signal.Name is { } signalName) _signals[(name, signalName)] = method.GetParameters();
            }
        }
    }

    /// <summary>The flow workflows and the health check.</summary>
    public static WorkflowSignalValidator ForFlowWorkflows() => new([.. CroweLogic.Flow.Workflows.FlowWorkflows.All, typeof(HealthCheckWorkflow)]);

    /// <inheritdoc />
    public string? Validate(string workflowType, string signalName, Payloads? input)
    {
        if (!_signals.TryGetValue((workflowType, signalName), out var parameters)) return null;
        var payloads = input?.Payloads_ ?? [];
        if (payloads.Count > parameters.Length) return $"it takes {parameters.Length} argument(s), {payloads.Count} were sent";
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (i >= payloads.Count)
            {
                if (parameter.HasDefaultValue) continue;
                return $"argument {parameter.Name} ({parameter.ParameterType.Name}) is missing";
            }
            try
            {
                var value = _converter.ToValue(payloads[i], parameter.ParameterType);
                if (value is null && parameter.ParameterType.IsClass && new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.NotNull)
                    return $"argument {parameter.Name} ({parameter.ParameterType.Name}) is null";
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
            {
                return $"argument {parameter.Name} is not a {parameter.ParameterType.Name} ({e.Message.Split('\n', 2)[0].Trim()})";
            }
        }
        return null;
    }
}
