using Grpc.Core;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using CroweLogic.Flow.Temporal.Journal;

namespace CroweLogic.Flow.Temporal;

internal sealed partial class TemporalEngine
{
    private readonly Dictionary<(string Namespace, string Name), IndexedValueType> _searchAttributes = [];

    /// <summary>Temporal's system search attributes (what the UI and list filters name besides custom ones).</summary>
    private static readonly Dictionary<string, IndexedValueType> SystemSearchAttributes = new()
    {
        ["WorkflowId"] = IndexedValueType.Keyword, ["RunId"] = IndexedValueType.Keyword, ["WorkflowType"] = IndexedValueType.Keyword,
        ["ExecutionStatus"] = IndexedValueType.Keyword, ["TaskQueue"] = IndexedValueType.Keyword, ["StartTime"] = IndexedValueType.Datetime,
        ["CloseTime"] = IndexedValueType.Datetime, ["ExecutionTime"] = IndexedValueType.Datetime, ["HistoryLength"] = IndexedValueType.Int,
    };

    public ListSearchAttributesResponse ListSearchAttributes(ListSearchAttributesRequest request)
    {
        using (Guard())
        {
            var ns = NamespaceOrDefault(request.Namespace);
            var response = new ListSearchAttributesResponse { StorageSchema = { ["engine"] = "CroweLogic.Flow embedded" } };
            foreach (var (name, type) in SystemSearchAttributes) response.SystemAttributes[name] = type;
            foreach (var ((space, name), type) in _searchAttributes)
                if (space == ns) response.CustomAttributes[name] = type;
            return response;
        }
    }

    /// <summary>Registers custom search attributes; the same name with the same type again is a no-op (as on a real server).</summary>
    public void AddSearchAttributes(AddSearchAttributesRequest request)
    {
        using (Guard())
        {
            var ns = NamespaceOrDefault(request.Namespace);
            foreach (var (name, type) in request.SearchAttributes)
            {
                if (name.Length == 0 || type == IndexedValueType.Unspecified) throw RpcErrors.InvalidArgument($"search attribute '{name}' needs a name and a type");
                if (SystemSearchAttributes.ContainsKey(name)) throw RpcErrors.InvalidArgument($"{name} is a system search attribute");
                if (_searchAttributes.TryGetValue((ns, name), out var existing) && existing != type)
                    throw RpcErrors.Create(StatusCode.AlreadyExists, $"search attribute {name} is already registered as {existing}");
            }
            foreach (var (name, type) in request.SearchAttributes)
            {
                if (_searchAttributes.TryAdd((ns, name), type)) _searchAttributeChanges.Add(new SearchAttributeChange(ns, name, (int)type));
            }
        }
    }

    public void RemoveSearchAttributes(RemoveSearchAttributesRequest request)
    {
        using (Guard())
        {
            var ns = NamespaceOrDefault(request.Namespace);
            foreach (var name in request.SearchAttributes)
            {
                if (!_searchAttributes.Remove((ns, name))) throw RpcErrors.NotFound($"search attribute {name} is not registered");
                _searchAttributeChanges.Add(new SearchAttributeChange(ns, name, -1));
            }
        }
    }

    private string NamespaceOrDefault(string ns)
    {
        var name = ns.Length > 0 ? ns : "default";
        if (!_namespaces.Contains(name)) throw RpcErrors.NotFound($"namespace {name} not found");
        return name;
    }
}
