using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>
/// What the HTTP interface needs to know of a statement before the engine sees it: its verb, its FORMAT clause, where
/// an INSERT's inline data begins, whether it has a SETTINGS clause, more than one statement, or reads <c>input()</c>.
/// Literals, quoted identifiers and comments never count (<see cref="SqlTokens"/>); an INSERT is read only up to its
/// format name, since what follows is data, not SQL.
/// </summary>
/// <param name="Text">The statement as sent.</param>
/// <param name="Verb">The first keyword, upper case (SELECT for a statement opening with a parenthesis).</param>
public sealed record ClickHouseStatement(string Text, string Verb)
{
    private static readonly HashSet<string> ReadVerbs = new(StringComparer.Ordinal) { "SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN" };

    /// <summary>The FORMAT clause's format, if any.</summary>
    public string? Format { get; init; }

    /// <summary>Offset of the FORMAT keyword (the text before it is the statement without its format).</summary>
    public int FormatStart { get; init; } = -1;

    /// <summary>For an INSERT with a FORMAT clause: where its inline data begins (the text's length when there is none).</summary>
    public int DataStart { get; init; } = -1;

    /// <summary>Whether a SETTINGS clause appears anywhere.</summary>
    public bool HasSettings { get; init; }

    /// <summary>Whether more than one statement follows another after a semicolon.</summary>
    public bool Multiple { get; init; }

    /// <summary>Whether it reads the <c>input()</c> table function (an INSERT … SELECT … FROM input(…) FORMAT …).</summary>
    public bool UsesInput { get; init; }

    /// <summary>Whether its verb only reads.</summary>
    public bool IsRead => ReadVerbs.Contains(Verb);

    /// <summary>Whether it is a query (SELECT or WITH) that can be wrapped as a subquery.</summary>
    public bool IsSelect => Verb is "SELECT" or "WITH";

    /// <summary>Whether it is an INSERT.</summary>
    public bool IsInsert => Verb == "INSERT";

    /// <summary>The statement without its FORMAT clause and trailing semicolons.</summary>
    public string WithoutFormat => (FormatStart >= 0 ? Text[..FormatStart] : Text).TrimEnd().TrimEnd(';').TrimEnd();

    /// <summary>Reads a statement.</summary>
    /// <exception cref="ClickHouseHttpException">Empty, or an unterminated literal or comment (SYNTAX_ERROR).</exception>
    public static ClickHouseStatement Parse(string text)
    {
        string? verb = null, format = null;
        int formatStart = -1, dataStart = -1, depth = 0, ended = -1;
        bool settings = false, multiple = false, input = false;
        SqlToken previous = default;
        var havePrevious = false;
        try
        {
            using var tokens = SqlTokens.Scan(text).GetEnumerator();
            while (tokens.MoveNext())
            {
                var token = tokens.Current;
                if (ended >= 0 && !token.Is(text, ';')) multiple = true;
                verb ??= token.Is(text, '(') ? "SELECT" : token.Kind == SqlTokenKind.Word ? text.Substring(token.Start, token.Length).ToUpperInvariant() : "";
                if (token.Is(text, '(')) depth++;
                else if (token.Is(text, ')')) depth--;
                else if (token.Is(text, ';') && depth == 0) ended = token.Start;
                else if (token.Is(text, "SETTINGS")) settings = true;
                if (havePrevious && previous.Is(text, "input") && token.Is(text, '(')) input = true;
                if (depth == 0 && havePrevious && previous.Is(text, "FORMAT") && token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
                {
                    format = token.Kind == SqlTokenKind.Word ? text.Substring(token.Start, token.Length) : text.Substring(token.Start + 1, token.Length - 2);
                    formatStart = previous.Start;
                    if (verb == "INSERT")
                    {
                        dataStart = DataAfter(text, token.End);
                        break;
                    }
                }
                previous = token;
                havePrevious = true;
            }
        }
        catch (SqlLexException e)
        {
            throw new ClickHouseHttpException(ClickHouseErrors.SyntaxError, $"Syntax error: {e.Message}");
        }
        if (string.IsNullOrEmpty(verb)) throw new ClickHouseHttpException(ClickHouseErrors.SyntaxError, "Empty query");
        return new ClickHouseStatement(text, verb)
        {
            Format = format, FormatStart = formatStart, DataStart = dataStart, HasSettings = settings, Multiple = multiple, UsesInput = input,
        };
    }

    // ClickHouse's rule: data starts after the newline that ends the FORMAT line, or after the whitespace if there is none.
    private static int DataAfter(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\r') i++;
        if (i < text.Length && text[i] == '\n') i++;
        return i;
    }
}
