using System.Text;

namespace CroweLogic.Flow.Cli.Worker;

/// <summary>
/// Splits a command line into words the way a POSIX shell does for the simple cases an operator writes in one option
/// value: whitespace separates words, single quotes keep everything literally, double quotes keep whitespace and honour
/// backslash before <c>"</c> and <c>\</c>, a backslash outside quotes escapes the next character. No expansion of any
/// kind (no variables, globs or substitutions): the words go to the program as written.
/// </summary>
internal static class CommandWords
{
    /// <summary>The words of <paramref name="line"/>.</summary>
    /// <exception cref="FormatException">An unterminated quote or a trailing backslash.</exception>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) throw new FormatException($"unterminated single quote at character {i + 1} of: {line}");
                    word.Append(line, i + 1, close - i - 1);
                    (i, inWord) = (close, true);
                    break;
                case '"':
                    i = DoubleQuoted(line, i, word);
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 >= line.Length) throw new FormatException($"trailing backslash in: {line}");
                    word.Append(line[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static int DoubleQuoted(string line, int open, StringBuilder word)
    {
        for (var i = open + 1; i < line.Length; i++)
        {
            if (line[i] == '"') return i;
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\') i++;
            word.Append(line[i]);
        }
        throw new FormatException($"unterminated double quote at character {open + 1} of: {line}");
    }
}
