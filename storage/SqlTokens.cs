namespace CroweLogic.Flow.Storage;

/// <summary>What a lexical token of ClickHouse SQL is.</summary>
public enum SqlTokenKind
{
    /// <summary>A keyword or bare identifier.</summary>
    Word,

    /// <summary>A number (digits first).</summary>
    Number,

    /// <summary>A string literal or heredoc.</summary>
    Literal,

    /// <summary>A back-quoted or double-quoted identifier.</summary>
    QuotedIdentifier,

    /// <summary>One punctuation or operator character.</summary>
    Symbol,
}

/// <summary>A token: its kind and where it stands in the text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Offset of its first character.</param>
/// <param name="Length">Its length in characters.</param>
public readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length)
{
    /// <summary>Offset just past it.</summary>
    public int End => Start + Length;

    /// <summary>Whether it is the word <paramref name="word"/> (case-insensitive).</summary>
    public bool Is(string text, string word) => Kind == SqlTokenKind.Word && text.AsSpan(Start, Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether it is the symbol <paramref name="symbol"/>.</summary>
    public bool Is(string text, char symbol) => Kind == SqlTokenKind.Symbol && text[Start] == symbol;
}

/// <summary>The text could not be split into tokens (an unterminated literal, identifier, heredoc or comment).</summary>
public sealed class SqlLexException(string message) : Exception(message);

/// <summary>
/// ClickHouse SQL split into tokens, lazily and in order: string literals (with backslash escapes and doubled quotes),
/// quoted identifiers, heredocs (<c>$tag$…$tag$</c>) and comments (<c>--</c>, <c>#</c>, <c>/* */</c>) are skipped as
/// wholes, never matched inside. What guards statements (one statement, no SETTINGS, where the FORMAT clause is) reads
/// the text through this, so a keyword inside a literal never counts. Lazy, so a caller can stop where data begins
/// (an INSERT's inline rows after its FORMAT clause are not SQL).
/// </summary>
public static class SqlTokens
{
    /// <summary>The tokens of <paramref name="sql"/> from <paramref name="from"/>.</summary>
    /// <exception cref="SqlLexException">An unterminated literal, quoted identifier, heredoc or comment.</exception>
    public static IEnumerable<SqlToken> Scan(string sql, int from = 0)
    {
        var i = from;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            int end;
            SqlTokenKind kind;
            if (c == '\'') (end, kind) = (SkipQuoted(sql, i, c), SqlTokenKind.Literal);
            else if (c is '"' or '`') (end, kind) = (SkipQuoted(sql, i, c), SqlTokenKind.QuotedIdentifier);
            else if ((c == '-' && At(sql, i + 1, '-')) || c == '#')
            {
                i = SkipLine(sql, i);
                continue;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipBlock(sql, i);
                continue;
            }
            else if (c == '$' && HeredocTag(sql, i) is { } tag) (end, kind) = (SkipHeredoc(sql, i, tag), SqlTokenKind.Literal);
            else if (char.IsLetter(c) || c == '_') (end, kind) = (SkipWord(sql, i), SqlTokenKind.Word);
            else if (char.IsDigit(c)) (end, kind) = (SkipWord(sql, i), SqlTokenKind.Number);
            else (end, kind) = (i + 1, SqlTokenKind.Symbol);
            yield return new SqlToken(kind, i, end - i);
            i = end;
        }
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    private static int SkipWord(string sql, int start)
    {
        var i = start;
        while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_' || (sql[i] == '.' && char.IsDigit(sql[start])))) i++;
        return i;
    }

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
        throw new SqlLexException($"unterminated {(quote == '\'' ? "string literal" : "quoted identifier")} starting at position {start}");
    }

    private static int SkipLine(string sql, int start)
    {
        var newline = sql.IndexOf('\n', start);
        return newline < 0 ? sql.Length : newline + 1;
    }

    private static int SkipBlock(string sql, int start)
    {
        var close = sql.IndexOf("*/", start + 2, StringComparison.Ordinal);
        return close >= 0 ? close + 2 : throw new SqlLexException($"unterminated comment starting at position {start}");
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
        return close >= 0 ? close + tag.Length : throw new SqlLexException($"unterminated heredoc {tag} starting at position {start}");
    }
}
