namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// Lexical checks on an SQL ticket before the engine sees any of it. The engine runs every statement of a
/// semicolon-separated text (measured: a trailing <c>; DROP TABLE …</c> ran), and a <c>SETTINGS</c> clause inside a
/// subquery overrides the outer <c>readonly = 1</c> and budgets (measured: <c>file()</c> became readable). So a ticket
/// is one statement without SETTINGS; literals, quoted identifiers, heredocs and comments are skipped, not matched.
/// </summary>
internal static class SqlTicketGuard
{
    /// <summary>The statement without trailing semicolons.</summary>
    /// <exception cref="FlightRequestException">More than one statement, a SETTINGS clause, or an unterminated literal or comment.</exception>
    public static string SingleStatement(string sql)
    {
        var end = -1;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`') i = SkipQuoted(sql, i, c);
            else if (c == '-' && At(sql, i + 1, '-') || c == '#') i = SkipLine(sql, i);
            else if (c == '/' && At(sql, i + 1, '*')) i = SkipBlock(sql, i);
            else if (c == '$' && HeredocTag(sql, i) is { } tag) i = SkipHeredoc(sql, i, tag);
            else if (c == ';')
            {
                if (end < 0) end = i;
                i++;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
                if (end >= 0) throw new FlightRequestException("an SQL ticket holds one statement; found more after ';'");
                if (sql.AsSpan(start, i - start).Equals("SETTINGS", StringComparison.OrdinalIgnoreCase))
                    throw new FlightRequestException("SETTINGS clauses are not allowed in SQL tickets: the service sets read-only mode and the row, byte and time budget");
            }
            else
            {
                if (end >= 0 && !char.IsWhiteSpace(c)) throw new FlightRequestException("an SQL ticket holds one statement; found more after ';'");
                i++;
            }
        }
        var body = (end < 0 ? sql : sql[..end]).Trim();
        return body.Length > 0 ? body : throw new FlightRequestException("the SQL ticket is empty");
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    private static int SkipQuoted(string sql, int start, char quote)
    {
        for (var i = start + 1; i < sql.Length; i++)
        {
            if (sql[i] == '\\') i++;
            else if (sql[i] == quote)
            {
                if (At(sql, i + 1, quote)) i++;
                else return i + 1;
            }
        }
        throw new FlightRequestException($"unterminated {(quote == '\'' ? "string literal" : "quoted identifier")} starting at position {start}");
    }

    private static int SkipLine(string sql, int start)
    {
        var newline = sql.IndexOf('\n', start);
        return newline < 0 ? sql.Length : newline + 1;
    }

    private static int SkipBlock(string sql, int start)
    {
        var close = sql.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return close >= 0 ? close + 2 : throw new FlightRequestException($"unterminated comment starting at position {start}");
    }

    private static string? HeredocTag(string sql, int start)
    {
        var i = start + 1;
        while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_')) i++;
        return i < sql.Length && sql[i] == '$' ? sql[start..(i + 1)] : null;
    }

    private static int SkipHeredoc(string sql, int start, string tag)
    {
        var close = sql.IndexOf(tag, start + tag.Length, StringComparison.Ordinal);
        return close >= 0 ? close + tag.Length : throw new FlightRequestException($"unterminated heredoc {tag} starting at position {start}");
    }
}
