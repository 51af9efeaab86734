using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Temporalio.Api.Dependencies.Google.Api;

namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>
/// Temporal's HTTP API: the JSON mapping of WorkflowService and OperatorService under <c>/api/v1/…</c>, built from the
/// <c>google.api.http</c> rules in the descriptors Temporalio.dll ships — every rule, its verb, path template, body
/// and query parameters — so the routes are exactly the server's. Requests and responses are proto3 JSON (enums as
/// their SCREAMING names, bytes and payload data base64), as the Temporal UI and the server's own HTTP API speak it;
/// each call goes to the same endpoint the gRPC frontend uses, so the two cannot disagree. Errors come back as
/// <c>{"code", "message", "details"}</c> with grpc-gateway's HTTP status for the gRPC code.
/// </summary>
internal static class TemporalHttpApi
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatEnumsAsIntegers(false));

    /// <summary>Maps every HTTP rule of the endpoints' services onto <paramref name="routes"/>.</summary>
    public static IReadOnlyList<string> Map(IEndpointRouteBuilder routes, params (ServiceDescriptor Service, IRpcEndpoint Endpoint)[] services)
    {
        var mapped = new List<string>();
        var seen = new HashSet<(string, string)>();
        foreach (var (service, endpoint) in services)
        {
            foreach (var method in service.Methods.Where(m => !m.IsClientStreaming && !m.IsServerStreaming))
            {
                if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule) continue;
                foreach (var binding in new[] { rule }.Concat(rule.AdditionalBindings))
                {
                    var (verb, template) = binding.PatternCase switch
                    {
                        HttpRule.PatternOneofCase.Get => ("GET", binding.Get),
                        HttpRule.PatternOneofCase.Post => ("POST", binding.Post),
                        HttpRule.PatternOneofCase.Put => ("PUT", binding.Put),
                        HttpRule.PatternOneofCase.Delete => ("DELETE", binding.Delete),
                        HttpRule.PatternOneofCase.Patch => ("PATCH", binding.Patch),
                        _ => ("", ""),
                    };
                    // Each rule also has a binding without the prefix (Temporal Cloud's layout); the UI and the
                    // server's HTTP API use /api/v1, and the UI's own pages live on the bare paths.
                    if (verb.Length == 0 || !template.StartsWith("/api/v1/", StringComparison.Ordinal)) continue;
                    var route = HttpRoute.Parse(template);
                    if (!seen.Add((verb, route.Pattern))) continue;
                    var call = new HttpCall(method, endpoint, route, binding.Body);
                    routes.MapMethods(route.Pattern, [verb], call.HandleAsync);
                    mapped.Add($"{verb} {template}");
                }
            }
        }
        return mapped;
    }

    /// <summary>One rule: builds the request from body, path and query, calls the endpoint, writes the response.</summary>
    private sealed class HttpCall(MethodDescriptor method, IRpcEndpoint endpoint, HttpRoute route, string body)
    {
        public async Task HandleAsync(HttpContext context)
        {
            IMessage request;
            try
            {
                request = await ReadRequestAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException or OverflowException)
            {
                await WriteErrorAsync(context, StatusCode.InvalidArgument, $"{method.Name}: the request does not parse: {e.Message}").ConfigureAwait(false);
                return;
            }
            IMessage response;
            try
            {
                response = await endpoint.HandleAsync(method.Name, request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await WriteErrorAsync(context, e.StatusCode, e.Status.Detail).ConfigureAwait(false);
                return;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Formatter.Format(response), context.RequestAborted).ConfigureAwait(false);
        }

        private async Task<IMessage> ReadRequestAsync(HttpContext context)
        {
            var request = method.InputType.Parser.ParseFrom(ByteString.Empty);
            if (body.Length > 0)
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var json = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
                if (!string.IsNullOrWhiteSpace(json))
                {
                    if (body == "*") request = Parser.Parse(json, method.InputType);
                    else FieldPath.SetMessage(request, body, Parser.Parse(json, FieldPath.Resolve(method.InputType, body).MessageType));
                }
            }
            foreach (var (name, path) in route.Variables)
                if (context.Request.RouteValues.TryGetValue(name, out var value) && value is string text) FieldPath.Set(request, path, text.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
            if (body != "*")
                foreach (var (key, values) in context.Request.Query)
                    foreach (var value in values)
                        if (value is not null) FieldPath.Set(request, key, value, ignoreUnknown: true);
            return request;
        }
    }

    internal static Task WriteErrorAsync(HttpContext context, StatusCode code, string message)
    {
        context.Response.StatusCode = HttpStatus(code);
        context.Response.ContentType = "application/json";
        var escaped = System.Text.Json.JsonSerializer.Serialize(message);
        return context.Response.WriteAsync($"{{\"code\":{(int)code},\"message\":{escaped},\"details\":[]}}");
    }

    // grpc-gateway's HTTPStatusFromCode.
    private static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => 400,
        StatusCode.DeadlineExceeded => 504,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists or StatusCode.Aborted => 409,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unauthenticated => 401,
        StatusCode.ResourceExhausted => 429,
        StatusCode.Unimplemented => 501,
        StatusCode.Unavailable => 503,
        _ => 500,
    };
}
