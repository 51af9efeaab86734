using System.Text;

namespace CroweLogic.Flow.Gateways.Flight.FlightSql;

/// <summary>A prepared statement: its SQL with <c>?</c> parameter markers, who prepared it, and the values bound to it.</summary>
public sealed class PreparedStatement(string sql, IReadOnlyList<int> markers, string owner)
{
    /// <summary>The SQL as prepared.</summary>
    public string Sql { get; } = sql;

    /// <summary>Who prepared it (only they may use or close it).</summary>
    public string Owner { get; } = owner;

    /// <summary>How many parameters it takes.</summary>
    public int Parameters => markers.Count;

    /// <summary>The bound values as ClickHouse literals (null until bound).</summary>
    public string[]? Bound { get; set; }

    /// <summary>The SQL with <paramref name="literals"/> in place of its markers.</summary>
    public string With(IReadOnlyList<string> literals)
    {
        var text = new StringBuilder();
        var at = 0;
        for (var i = 0; i < markers.Count; i++)
        {
            text.Append(Sql, at, markers[i] - at).Append(literals[i]);
            at = markers[i] + 1;
        }
        return text.Append(Sql, at, Sql.Length - at).ToString();
    }

    /// <summary>The SQL to run now.</summary>
    /// <exception cref="FlightRequestException">It has parameters and none were bound.</exception>
    public string Executable() => Parameters == 0 ? Sql
        : Bound is { } bound ? With(bound)
        : throw new FlightRequestException($"the prepared statement has {Parameters} parameter(s); bind them with DoPut (one row) before executing it");

    /// <summary>The SQL with NULL for every parameter, to learn the result's schema before binding.</summary>
    public string Probe() => With(Enumerable.Repeat("NULL", Parameters).ToList());
}
