using CroweLogic.Flow.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace CroweLogic.Flow.Host;

/// <summary>
/// Registers the search attributes the governance workflows upsert (FlowModel, FlowStage, FlowCapitalFraction) on a
/// Temporal server through its OperatorService, idempotently: present ones are left alone, missing ones are added.
/// A server refuses a workflow's upsert of an unregistered attribute, so every connection to a real server runs this.
/// </summary>
public static class SearchAttributeRegistration
{
    /// <summary>Adds the missing attributes to the client's namespace; returns the names it added.</summary>
    /// <exception cref="InvalidOperationException">An attribute exists with another type, or the server refused the registration.</exception>
    public static async Task<IReadOnlyList<string>> EnsureAsync(ITemporalClient client, CancellationToken cancellationToken = default)
    {
        var ns = client.Options.Namespace;
        var options = new RpcOptions { CancellationToken = cancellationToken };
        ListSearchAttributesResponse existing;
        try
        {
            existing = await client.Connection.OperatorService.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = ns }, options).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code is RpcException.StatusCode.Unimplemented or RpcException.StatusCode.PermissionDenied)
        {
            // A cloud namespace registers attributes through its control plane, not the OperatorService.
            return [];
        }
        var request = new AddSearchAttributesRequest { Namespace = ns };
        foreach (var (name, typeName) in FlowSearchAttributes.All)
        {
            var type = Enum.Parse<IndexedValueType>(typeName);
            if (existing.CustomAttributes.TryGetValue(name, out var have))
            {
                if (have != type) throw new InvalidOperationException($"search attribute {name} exists on {client.Connection.Options.TargetHost} as {have}, but the governance workflows write it as {type}");
                continue;
            }
            request.SearchAttributes[name] = type;
        }
        if (request.SearchAttributes.Count == 0) return [];
        try
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request, options).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
        {
            // Another client registered them between the list and the add.
        }
        return [.. request.SearchAttributes.Keys];
    }
}
