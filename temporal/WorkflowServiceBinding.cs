using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace CroweLogic.Flow.Temporal;

/// <summary>
/// Binds every unary method of temporal.api.workflowservice.v1.WorkflowService from the descriptor shipped in
/// Temporalio.dll (no code generation): each method gets protobuf marshallers for its request and response types
/// and dispatches by name to <see cref="WorkflowServiceEndpoint"/>.
/// </summary>
internal sealed class WorkflowServiceBinding : IServiceMethodProvider<WorkflowServiceEndpoint>
{
    public static ServiceDescriptor Service { get; } = Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "WorkflowService");

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<WorkflowServiceEndpoint> context)
    {
        var add = typeof(WorkflowServiceBinding).GetMethod(nameof(AddUnary), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        foreach (var method in Service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
            add.MakeGenericMethod(method.InputType.ClrType, method.OutputType.ClrType).Invoke(null, [context, method]);
    }

    private static void AddUnary<TRequest, TResponse>(ServiceMethodProviderContext<WorkflowServiceEndpoint> context, MethodDescriptor descriptor)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestParser = new MessageParser<TRequest>(() => new TRequest());
        var responseParser = new MessageParser<TResponse>(() => new TResponse());
        var method = new Method<TRequest, TResponse>(MethodType.Unary, descriptor.Service.FullName, descriptor.Name,
            Marshallers.Create(r => r.ToByteArray(), requestParser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), responseParser.ParseFrom));
        var name = descriptor.Name;
        context.AddUnaryMethod(method, [], async (endpoint, request, call) => (TResponse)await endpoint.HandleAsync(name, request, call).ConfigureAwait(false));
    }
}
