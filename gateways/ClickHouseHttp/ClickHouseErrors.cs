namespace CroweLogic.Flow.Gateways.ClickHouseHttp;

/// <summary>A ClickHouse error: its code and name as the server's <c>ErrorCodes.cpp</c> defines them.</summary>
/// <param name="Code">The number clients read from <c>X-ClickHouse-Exception-Code</c> and the body.</param>
/// <param name="Name">The name at the end of the message, e.g. SYNTAX_ERROR.</param>
public readonly record struct ClickHouseError(int Code, string Name);

/// <summary>The errors the interface raises itself, and the HTTP status ClickHouse gives each error name.</summary>
public static class ClickHouseErrors
{
    /// <summary>UNSUPPORTED_METHOD.</summary>
    public static readonly ClickHouseError UnsupportedMethod = new(1, "UNSUPPORTED_METHOD");

    /// <summary>BAD_ARGUMENTS.</summary>
    public static readonly ClickHouseError BadArguments = new(36, "BAD_ARGUMENTS");

    /// <summary>SYNTAX_ERROR.</summary>
    public static readonly ClickHouseError SyntaxError = new(62, "SYNTAX_ERROR");

    /// <summary>UNKNOWN_FORMAT.</summary>
    public static readonly ClickHouseError UnknownFormat = new(73, "UNKNOWN_FORMAT");

    /// <summary>READONLY.</summary>
    public static readonly ClickHouseError Readonly = new(164, "READONLY");

    /// <summary>REQUIRED_PASSWORD: no credentials were given.</summary>
    public static readonly ClickHouseError RequiredPassword = new(194, "REQUIRED_PASSWORD");

    /// <summary>CANNOT_DECOMPRESS.</summary>
    public static readonly ClickHouseError CannotDecompress = new(271, "CANNOT_DECOMPRESS");

    /// <summary>ACCESS_DENIED.</summary>
    public static readonly ClickHouseError AccessDenied = new(497, "ACCESS_DENIED");

    /// <summary>AUTHENTICATION_FAILED: a wrong password or an unknown user.</summary>
    public static readonly ClickHouseError AuthenticationFailed = new(516, "AUTHENTICATION_FAILED");

    // ClickHouse's exceptionCodeToHTTPStatus, by name (the engine's messages end with the name).
    private static readonly HashSet<string> BadRequest = new(StringComparer.Ordinal)
    {
        "BAD_ARGUMENTS", "CANNOT_COMPILE_REGEXP", "CANNOT_PARSE_TEXT", "CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_QUOTED_STRING",
        "CANNOT_PARSE_DATE", "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER", "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING", "CANNOT_PARSE_IPV4",
        "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED", "CANNOT_PARSE_UUID", "DUPLICATE_COLUMN", "ILLEGAL_COLUMN",
        "UNKNOWN_ELEMENT_IN_AST", "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST", "TOO_BIG_AST", "UNEXPECTED_AST_STRUCTURE",
        "SYNTAX_ERROR", "INCORRECT_DATA", "TYPE_MISMATCH", "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
    };

    private static readonly HashSet<string> NotFound = new(StringComparer.Ordinal)
    {
        "UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER", "UNKNOWN_TYPE", "UNKNOWN_STORAGE", "UNKNOWN_DATABASE", "UNKNOWN_SETTING",
        "UNKNOWN_DIRECTION_OF_SORTING", "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT", "UNKNOWN_DATABASE_ENGINE", "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE",
    };

    /// <summary>The HTTP status ClickHouse answers an error with.</summary>
    public static int HttpStatus(string name) => name switch
    {
        "REQUIRED_PASSWORD" => 401,
        "UNKNOWN_USER" or "WRONG_PASSWORD" or "AUTHENTICATION_FAILED" or "SET_NON_GRANTED_ROLE" or "ACCESS_DENIED" => 403,
        _ when BadRequest.Contains(name) => 400,
        _ when NotFound.Contains(name) => 404,
        "QUERY_IS_TOO_LARGE" => 413,
        "NOT_IMPLEMENTED" => 501,
        "SOCKET_TIMEOUT" or "CANNOT_OPEN_FILE" or "CANNOT_SCHEDULE_TASK" => 503,
        "HTTP_LENGTH_REQUIRED" => 411,
        "TIMEOUT_EXCEEDED" => 408,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        _ => 500,
    };

    /// <summary>The code and name in an engine message (<c>Code: 62. DB::Exception: … (SYNTAX_ERROR)</c>).</summary>
    public static ClickHouseError FromMessage(string message)
    {
        var code = 0;
        if (message.StartsWith("Code: ", StringComparison.Ordinal))
        {
            var dot = message.IndexOf('.', 6);
            if (dot > 6) _ = int.TryParse(message.AsSpan(6, dot - 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out code);
        }
        var trimmed = message.TrimEnd();
        var name = "";
        if (trimmed.EndsWith(')') && trimmed.LastIndexOf('(') is var open and >= 0)
        {
            var candidate = trimmed[(open + 1)..^1];
            if (candidate.Length > 0 && candidate.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')) name = candidate;
        }
        return new ClickHouseError(code == 0 ? 1001 : code, name.Length > 0 ? name : "STD_EXCEPTION");
    }
}

/// <summary>The interface refuses a request with a ClickHouse error.</summary>
/// <param name="error">Code and name.</param>
/// <param name="message">ClickHouse-style text, without the code prefix and name suffix.</param>
public sealed class ClickHouseHttpException(ClickHouseError error, string message) : Exception(message)
{
    /// <summary>Code and name.</summary>
    public ClickHouseError Error { get; } = error;
}
