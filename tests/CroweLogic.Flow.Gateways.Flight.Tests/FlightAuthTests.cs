using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Google.Protobuf;
using Grpc.Core;

namespace CroweLogic.Flow.Gateways.Flight.Tests;

/// <summary>Authentication (bearer, handshake, Basic), TLS and per-call telemetry.</summary>
public class FlightAuthTests(FlightFixture fixture)
{
    private static async Task<List<FlightInfo>> List(FlightClient client, Metadata? headers)
    {
        using var call = client.ListFlights(new FlightCriteria(), headers);
        var infos = new List<FlightInfo>();
        while (await call.ResponseStream.MoveNext(default)) infos.Add(call.ResponseStream.Current);
        return infos;
    }

    [Fact]
    public async Task Calls_without_or_with_a_wrong_token_are_unauthenticated()
    {
        var client = fixture.Client();
        var none = await Assert.ThrowsAsync<RpcException>(() => List(client, null));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("authorization: Bearer", none.Status.Detail);

        var wrong = await Assert.ThrowsAsync<RpcException>(() => FlightFixture.ReadAll(client, new FlightTicket("SELECT 1"), FlightFixture.Bearer("not-a-token-at-all")));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
    }

    [Fact]
    public async Task Handshake_with_the_token_as_payload_issues_a_session_token()
    {
        var client = fixture.Client();
        using var call = client.Handshake(new Metadata());
        await call.RequestStream.WriteAsync(new FlightHandshakeRequest(ByteString.CopyFromUtf8(FlightFixture.ReaderToken), 0));
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(default));
        var session = call.ResponseStream.Current.Payload.ToStringUtf8();
        Assert.NotEqual(FlightFixture.ReaderToken, session);
        Assert.Equal("Bearer " + session, (await call.ResponseHeadersAsync).GetValue("authorization"));

        Assert.NotEmpty(await List(client, FlightFixture.Bearer(session)));
        // The session keeps the principal's role.
        // The refusal may arrive while the schema is still being sent, or on the first read.
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var put = await client.StartPut(FlightDescriptor.CreatePathDescriptor("quotes"), Contracts.Events.Quote.Arrow.Schema, FlightFixture.Bearer(session));
            await put.RequestStream.CompleteAsync();
            await put.ResponseStream.MoveNext(default);
        });
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task Handshake_with_basic_name_and_token_works_and_wrong_ones_fail()
    {
        var client = fixture.Client();
        string Basic(string name, string token) => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{name}:{token}"));

        using (var call = client.Handshake(new Metadata { { "authorization", Basic("loader", FlightFixture.WriterToken) } }))
        {
            await call.RequestStream.CompleteAsync();
            var bearer = (await call.ResponseHeadersAsync).GetValue("authorization");
            Assert.StartsWith("Bearer ", bearer);
            Assert.NotEmpty(await List(client, new Metadata { { "authorization", bearer! } }));
        }

        foreach (var header in new[] { Basic("research", FlightFixture.WriterToken), Basic("loader", "wrong-token-0123456789") })
        {
            using var call = client.Handshake(new Metadata { { "authorization", header } });
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await call.RequestStream.CompleteAsync();
                await call.ResponseStream.MoveNext(default);
            });
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
    }

    [Fact]
    public async Task Calls_record_a_span_and_metrics_with_rows_and_bytes()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == FlightTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (spans) spans.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        long rows = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FlightTelemetry.Name) l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "flow.flight.rows") Interlocked.Add(ref rows, value);
        });
        meters.Start();

        var batches = await FlightFixture.ReadAll(fixture.Client(), new FlightTicket("""{"dataset": "big_numbers", "limit": 100000}"""), FlightFixture.Bearer(FlightFixture.ReaderToken));
        Assert.Equal(100_000, batches.Sum(b => b.Length));

        Activity span;
        lock (spans) span = spans.Last(s => s.DisplayName == "flight DoGet");
        Assert.Equal(100_000L, span.GetTagItem("flow.rows"));
        Assert.True((long)span.GetTagItem("flow.bytes")! >= 100_000 * 8);
        Assert.Equal("research", span.GetTagItem("flow.principal"));
        Assert.Equal("OK", span.GetTagItem("rpc.grpc.status_code"));
        Assert.True(Interlocked.Read(ref rows) >= 100_000);
    }

    [Fact]
    public async Task With_a_certificate_the_service_speaks_tls_only()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        using var withKey = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

        await using var service = await FlightService.StartAsync(fixture.Store, new FlightServiceOptions { Port = 0, Access = FlightFixture.Access, Certificate = withKey });
        Assert.Equal("https", service.Location.Scheme);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == withKey.GetCertHashString();
        var infos = await List(fixture.Client(service.Location, handler), FlightFixture.Bearer(FlightFixture.ReaderToken));
        Assert.Contains(infos, i => i.Descriptor.Paths.Single() == "trades");

        var cleartext = fixture.Client(new UriBuilder(service.Location) { Scheme = "http" }.Uri);
        var error = await Assert.ThrowsAsync<RpcException>(() => List(cleartext, FlightFixture.Bearer(FlightFixture.ReaderToken)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
