using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace CroweLogic.Flow.Gateways.Flight;

/// <summary>How <see cref="FlightService"/> listens and whom it admits.</summary>
public sealed record FlightServiceOptions
{
    /// <summary>The conventional Flight port.</summary>
    public const int DefaultPort = 8815;

    /// <summary>Address to bind (loopback unless told otherwise).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one (see <see cref="FlightService.Location"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Who may call.</summary>
    public required FlightAccessList Access { get; init; }

    /// <summary>Limits on SQL tickets.</summary>
    public FlightBudget Budget { get; init; } = FlightBudget.Default;

    /// <summary>Serve TLS with this certificate (with its private key); null serves cleartext HTTP/2.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Largest put message accepted (a record batch of a DoPut).</summary>
    public int MaxReceiveMessageBytes { get; init; } = 512 << 20;

    /// <summary>Loads a certificate from a PEM pair (certificate and key) or a PKCS#12 file (with an optional password).</summary>
    /// <exception cref="FlightConfigurationException">The files are missing or unreadable, or the certificate has no private key.</exception>
    public static X509Certificate2 LoadCertificate(string path, string? keyPath = null, string? password = null)
    {
        if (!File.Exists(path)) throw new FlightConfigurationException($"TLS certificate {path} does not exist");
        if (keyPath is not null && !File.Exists(keyPath)) throw new FlightConfigurationException($"TLS key {keyPath} does not exist");
        X509Certificate2 certificate;
        try
        {
            certificate = keyPath is not null ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".crt", StringComparison.OrdinalIgnoreCase) ? X509Certificate2.CreateFromPemFile(path)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new FlightConfigurationException($"TLS certificate {path} could not be read: {e.Message}");
        }
        if (!certificate.HasPrivateKey) throw new FlightConfigurationException($"TLS certificate {path} has no private key (give --tls-key, or a PKCS#12 file with the key)");
        return certificate;
    }
}
