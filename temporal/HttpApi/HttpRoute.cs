using System.Text;

namespace CroweLogic.Flow.Temporal.HttpApi;

/// <summary>
/// A google.api.http path template as an ASP.NET route: each <c>{field.path}</c> (or <c>{field=segments/*}</c>)
/// becomes a route parameter named <c>v0</c>, <c>v1</c>, … that fills that request field; <c>**</c> catches the rest.
/// </summary>
internal sealed record HttpRoute(string Pattern, IReadOnlyList<(string Name, string FieldPath)> Variables)
{
    public static HttpRoute Parse(string template)
    {
        var pattern = new StringBuilder();
        var variables = new List<(string, string)>();
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] != '{')
            {
                pattern.Append(template[i++]);
                continue;
            }
            var close = template.IndexOf('}', i);
            if (close < 0) throw new FormatException($"unbalanced '{{' in HTTP rule {template}");
            var inner = template[(i + 1)..close];
            var eq = inner.IndexOf('=');
            var field = eq < 0 ? inner : inner[..eq];
            var name = $"v{variables.Count}";
            variables.Add((name, field));
            pattern.Append(eq >= 0 && inner[(eq + 1)..].Contains("**", StringComparison.Ordinal) ? $"{{*{name}}}" : $"{{{name}}}");
            i = close + 1;
        }
        // A verb suffix (":cancel") is literal text in the route.
        return new HttpRoute(pattern.ToString(), variables);
    }
}
