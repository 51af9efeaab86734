using Google.Protobuf;
using Grpc.Core;
using Temporalio.Api.OperatorService.V1;

namespace CroweLogic.Flow.Temporal;

/// <summary>The OperatorService calls a platform makes of its server: custom search attributes (list, add, remove).</summary>
internal sealed class OperatorServiceEndpoint(TemporalEngine engine) : IRpcService
{
    public static Google.Protobuf.Reflection.ServiceDescriptor Service { get; } = Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services.Single(s => s.Name == "OperatorService");

    public async Task<IMessage> HandleAsync(string method, IMessage request, CancellationToken cancellationToken)
    {
        IMessage response = request switch
        {
            ListSearchAttributesRequest list => engine.ListSearchAttributes(list),
            AddSearchAttributesRequest add => Done(() => engine.AddSearchAttributes(add), new AddSearchAttributesResponse()),
            RemoveSearchAttributesRequest remove => Done(() => engine.RemoveSearchAttributes(remove), new RemoveSearchAttributesResponse()),
            _ => throw RpcErrors.Create(StatusCode.Unimplemented, $"OperatorService.{method} is not implemented by the embedded Temporal service"),
        };
        await engine.AwaitDurableAsync().ConfigureAwait(false);
        return response;
    }

    private static IMessage Done(Action action, IMessage response)
    {
        action();
        return response;
    }
}
