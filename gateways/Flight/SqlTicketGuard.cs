using CroweLogic.Flow.Storage;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>
/// Lexical checks on an SQL ticket before the engine sees any of it. The engine runs every statement of a
/// semicolon-separated text (measured: a trailing <c>; DROP TABLE …</c> ran), and a <c>SETTINGS</c> clause inside a
/// subquery overrides the outer <c>readonly = 1</c> and budgets (measured: <c>file()</c> became readable). So a ticket
/// is one statement without SETTINGS; literals, quoted identifiers, heredocs and comments are skipped, not matched
/// (<see cref="SqlTokens"/>).
/// </summary>
internal static class SqlTicketGuard
{
    /// <summary>The statement without trailing semicolons.</summary>
    /// <exception cref="FlightRequestException">More than one statement, a SETTINGS clause, or an unterminated literal or comment.</exception>
    public static string SingleStatement(string sql)
    {
        var end = -1;
        try
        {
            foreach (var token in SqlTokens.Scan(sql))
            {
                if (token.Is(sql, ';'))
                {
                    if (end < 0) end = token.Start;
                    continue;
                }
                if (end >= 0) throw new FlightRequestException("an SQL ticket holds one statement; found more after ';'");
                if (token.Is(sql, "SETTINGS"))
                    throw new FlightRequestException("SETTINGS clauses are not allowed in SQL tickets: the service sets read-only mode and the row, byte and time budget");
            }
        }
        catch (SqlLexException e)
        {
            throw new FlightRequestException(e.Message);
        }
        var body = (end < 0 ? sql : sql[..end]).Trim();
        return body.Length > 0 ? body : throw new FlightRequestException("the SQL ticket is empty");
    }
}
