using System.Globalization;
using System.Net;
using CroweLogic.Flow.Gateways.MarketData.Binance;

namespace CroweLogic.Flow.Gateways.Venue.Binance;

/// <summary>A REST answer: status, body, and the Retry-After of a 429 or 418.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">Body bytes.</param>
/// <param name="RetryAfter">Retry-After, when the venue sent one.</param>
public readonly record struct BinanceRestAnswer(HttpStatusCode Status, byte[] Body, TimeSpan? RetryAfter)
{
    /// <summary>2xx.</summary>
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>429 (request rate exceeded) or 418 (banned for continuing after a 429).</summary>
    public bool RateLimited => Status is HttpStatusCode.TooManyRequests or (HttpStatusCode)418;

    /// <summary>The venue's error code and message (Binance's <c>{"code","msg"}</c> body).</summary>
    public (int? Code, string Message) Error => BinanceOrderMessages.ParseError(Body);

    /// <summary>"HTTP 400, Binance -2010: …" for messages.</summary>
    public string Describe() => Error is var (code, message) && code is { } c ? $"HTTP {(int)Status}, Binance {c}: {message}" : $"HTTP {(int)Status}: {message}";
}

/// <summary>
/// Binance spot's REST API as a SIGNED-endpoint client: every request carries timestamp and recvWindow, its query is
/// signed with HMAC-SHA256 (<see cref="BinanceCredentials.Sign"/>) and the key goes in X-MBX-APIKEY. The venue's clock
/// is learnt from <c>GET /api/v3/time</c> (and relearnt when a request is refused with −1021, outside the recvWindow),
/// and the usage headers (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S) are kept for the status line and the closing
/// note. Transport failures and timeouts surface as they are: for an order they mean its outcome is unknown.
/// </summary>
public sealed class BinanceRestClient : IDisposable
{
    private readonly BinanceVenueOptions _options;
    private readonly HttpClient _http;
    private long _offsetMs;
    private long _usedWeight;
    private long _orderCount;

    /// <summary>A client for <paramref name="options"/>' REST base.</summary>
    public BinanceRestClient(BinanceVenueOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = options.RestBase;
        _http.Timeout = options.RequestTimeout;
    }

    /// <summary>The last X-MBX-USED-WEIGHT-1M.</summary>
    public long UsedWeight => Interlocked.Read(ref _usedWeight);

    /// <summary>The last X-MBX-ORDER-COUNT-10S.</summary>
    public long OrderCount10s => Interlocked.Read(ref _orderCount);

    /// <summary>The venue's clock minus ours, ms.</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    /// <summary>Learns the venue's clock from <c>GET /api/v3/time</c> (the offset at the request's midpoint).</summary>
    /// <exception cref="HttpRequestException">The venue cannot be reached.</exception>
    /// <exception cref="FormatException">The answer is not the server time.</exception>
    public async Task SyncTimeAsync(CancellationToken cancellationToken)
    {
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v3/time"), cancellationToken).ConfigureAwait(false);
        var received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (!answer.Ok) throw new HttpRequestException($"GET /api/v3/time: {answer.Describe()}");
        using var document = BinanceJson.Parse(answer.Body, "the server time");
        var server = BinanceJson.Long(document.RootElement, "serverTime");
        Interlocked.Exchange(ref _offsetMs, server - (sent + received) / 2);
    }

    /// <summary>An unsigned request (exchange rules).</summary>
    public Task<BinanceRestAnswer> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, pathAndQuery), cancellationToken);

    /// <summary>A SIGNED request; one refused for its timestamp (−1021) is retried once after the clock is relearnt.</summary>
    public async Task<BinanceRestAnswer> SignedAsync(HttpMethod method, string path, IReadOnlyList<(string Name, string Value)> parameters, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(Signed(method, path, parameters), cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.BadRequest && answer.Error.Code == -1021)
        {
            await SyncTimeAsync(cancellationToken).ConfigureAwait(false);
            answer = await SendAsync(Signed(method, path, parameters), cancellationToken).ConfigureAwait(false);
        }
        return answer;
    }

    /// <summary>The venue's now, ms since the epoch, by the learnt offset.</summary>
    public long VenueNowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + OffsetMs;

    private HttpRequestMessage Signed(HttpMethod method, string path, IReadOnlyList<(string Name, string Value)> parameters)
    {
        var query = string.Join('&', parameters.Append(("recvWindow", _options.RecvWindowMs.ToString(CultureInfo.InvariantCulture)))
            .Append(("timestamp", VenueNowMs.ToString(CultureInfo.InvariantCulture)))
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        var request = new HttpRequestMessage(method, $"{path}?{query}&signature={_options.Credentials.Sign(query)}");
        request.Headers.Add("X-MBX-APIKEY", _options.Credentials.ApiKey);
        return request;
    }

    private async Task<BinanceRestAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (Header(response, "X-MBX-USED-WEIGHT-1M") is { } weight) Interlocked.Exchange(ref _usedWeight, weight);
            if (Header(response, "X-MBX-ORDER-COUNT-10S") is { } orders) Interlocked.Exchange(ref _orderCount, orders);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return new BinanceRestAnswer(response.StatusCode, body, response.Headers.RetryAfter?.Delta);
        }
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
