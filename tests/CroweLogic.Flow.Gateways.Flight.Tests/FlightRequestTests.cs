using System.Text;
using Apache.Arrow.Flight;
using CroweLogic.Flow.Tests.Shared;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>Descriptor, ticket and access-file parsing: precise errors for every malformed input.</summary>
public class FlightRequestTests
{
    private static FlightReadRequest Parse(string text) => FlightReadRequest.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Requests_round_trip_through_their_ticket_json()
    {
        var request = (DatasetRequest)Parse("""{"dataset": "bars_1d", "symbols": ["AAPL", "MSFT"], "from": "2020-01-01", "to": "2020-12-31", "columns": ["symbol", "close"], "limit": 10}""");
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), request.From);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), request.To); // a date-only end includes that day
        var again = (DatasetRequest)Parse(request.ToJson());
        Assert.Equal(request.Symbols, again.Symbols);
        Assert.Equal(request.Columns, again.Columns);
        Assert.Equal((request.Dataset, request.From, request.To, request.Limit), (again.Dataset, again.From, again.To, again.Limit));

        Assert.Equal(new SqlRequest("SELECT 1"), Parse(new SqlRequest("SELECT 1").ToJson()));
        Assert.Equal(new SqlRequest("SELECT 1"), Parse("  SELECT 1 "));
        Assert.Equal(new DatasetRequest("trades"), FlightReadRequest.FromDescriptor(FlightDescriptor.CreatePathDescriptor("trades")));
        Assert.Equal(new DateTimeOffset(2020, 1, 31, 14, 30, 0, TimeSpan.Zero), ((DatasetRequest)Parse("""{"dataset": "t", "from": "2020-01-31T09:30:00-05:00"}""")).From);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"dataset": "t", "symbol": ["A"]}""", "unknown key 'symbol'")]
    [InlineData("""{"symbols": ["A"]}""", "needs 'dataset'")]
    [InlineData("""{"dataset": 3}""", "'dataset' must be a non-empty string")]
    [InlineData("""{"dataset": "t", "symbols": "AAPL"}""", "'symbols' must be an array of strings")]
    [InlineData("""{"dataset": "t", "symbols": []}""", "'symbols' must not be empty")]
    [InlineData("""{"dataset": "t", "from": "yesterday"}""", "'from' value 'yesterday' is not an ISO-8601")]
    [InlineData("""{"dataset": "t", "from": "2020-02-01", "to": "2020-01-01"}""", "must be after 'from'")]
    [InlineData("""{"dataset": "t", "limit": -1}""", "'limit' must be a non-negative integer")]
    [InlineData("""{"sql": "SELECT 1", "limit": 3}""", "unknown key 'limit' in an SQL request")]
    [InlineData("""{"sql": ""}""", "'sql' must be a non-empty string")]
    public void Malformed_requests_say_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<FlightRequestException>(() => Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Path_descriptors_name_exactly_one_dataset_and_tickets_must_be_utf8()
    {
        Assert.Contains("names one dataset", Assert.Throws<FlightRequestException>(() => FlightReadRequest.FromDescriptor(FlightDescriptor.CreatePathDescriptor("a", "b"))).Message);
        Assert.Contains("not UTF-8", Assert.Throws<FlightRequestException>(() => FlightReadRequest.Parse([0xff, 0xfe, 0x41])).Message);
    }

    [Theory]
    [InlineData("""[]""", "top level must be an object")]
    [InlineData("""{"principals": []}""", "names no principal")]
    [InlineData("""{"users": []}""", "unknown key 'users'")]
    [InlineData("""{"principals": [{"name": "a", "role": "admin", "token": "0123456789abcdef"}]}""", "role 'admin' is not read or read_write")]
    [InlineData("""{"principals": [{"name": "a", "role": "read"}]}""", "give exactly one of token, token_sha256")]
    [InlineData("""{"principals": [{"name": "a", "role": "read", "token": "short"}]}""", "at least 16 characters")]
    [InlineData("""{"principals": [{"name": "a", "role": "read", "token_sha256": "zz"}]}""", "not hexadecimal")]
    [InlineData("""{"principals": [{"name": "a", "role": "read", "token": "0123456789abcdef"}, {"name": "b", "role": "read_write", "token": "0123456789abcdef"}]}""", "share a token")]
    [InlineData("""{"session_hours": 0, "principals": []}""", "session_hours must be a number")]
    [InlineData("""{"principals": [{"name": "a", "role": "read", "token": "0123456789abcdef", "extra": "x"}]}""", "unknown key 'extra'")]
    public void Invalid_access_files_are_refused_with_the_reason(string json, string expected)
    {
        using var directory = new TempDirectory();
        var path = directory.File("access.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<FlightConfigurationException>(() => FlightAccessList.Load(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_access_file_accepts_tokens_and_their_digests_and_sessions_expire()
    {
        using var directory = new TempDirectory();
        var path = directory.File("access.json");
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("loader-secret-0123456789")));
        File.WriteAllText(path, $$"""{"session_hours": 1, "principals": [{"name": "research", "role": "read", "token": "research-secret-0123"}, {"name": "loader", "role": "read_write", "token_sha256": "{{digest}}"}]}""");
        var access = FlightAccessList.Load(path);
        Assert.Equal(new FlightPrincipal("research", FlightRole.Read), access.Authenticate("research-secret-0123"));
        Assert.Equal(new FlightPrincipal("loader", FlightRole.ReadWrite), access.Authenticate("loader-secret-0123456789"));
        Assert.Null(access.Authenticate("research-secret-0124"));

        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var timed = FlightAccessList.Of([("research-secret-0123", new FlightPrincipal("research", FlightRole.Read))], TimeSpan.FromHours(1), clock);
        var session = timed.IssueSession(new FlightPrincipal("research", FlightRole.Read));
        Assert.NotNull(timed.Authenticate(session));
        clock.Now += TimeSpan.FromHours(1.01);
        Assert.Null(timed.Authenticate(session));
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
