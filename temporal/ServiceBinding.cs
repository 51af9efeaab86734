using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace CroweLogic.Flow.Temporal;

/// <summary>Calls of a gRPC service answered by method name (from the gRPC frontend and the HTTP API alike).</summary>
internal interface IRpcEndpoint
{
    Task<IMessage> HandleAsync(string method, IMessage request, CancellationToken cancellationToken);
}

/// <summary>An endpoint bound to its service's descriptor (from Temporalio.dll).</summary>
internal interface IRpcService : IRpcEndpoint
{
    static abstract ServiceDescriptor Service { get; }
}

/// <summary>
/// Binds every unary method of a Temporal gRPC service from the descriptor shipped in Temporalio.dll (no code
/// generation): each method gets protobuf marshallers for its request and response types and dispatches by name to
/// the endpoint.
/// </summary>
internal sealed class ServiceBinding<TEndpoint> : IServiceMethodProvider<TEndpoint> where TEndpoint : class, IRpcService
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TEndpoint> context)
    {
        var add = typeof(ServiceBinding<TEndpoint>).GetMethod(nameof(AddUnary), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        foreach (var method in TEndpoint.Service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
            add.MakeGenericMethod(method.InputType.ClrType, method.OutputType.ClrType).Invoke(null, [context, method]);
    }

    private static void AddUnary<TRequest, TResponse>(ServiceMethodProviderContext<TEndpoint> context, MethodDescriptor descriptor)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var requestParser = new MessageParser<TRequest>(() => new TRequest());
        var responseParser = new MessageParser<TResponse>(() => new TResponse());
        var method = new Method<TRequest, TResponse>(MethodType.Unary, descriptor.Service.FullName, descriptor.Name,
            Marshallers.Create(r => r.ToByteArray(), requestParser.ParseFrom), Marshallers.Create(r => r.ToByteArray(), responseParser.ParseFrom));
        var name = descriptor.Name;
        context.AddUnaryMethod(method, [], async (endpoint, request, call) => (TResponse)await endpoint.HandleAsync(name, request, call.CancellationToken).ConfigureAwait(false));
    }
}
