using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KafkaTestCluster.Security;

/// <summary>
/// A throwaway PKI made when the cluster starts: a CA, a server certificate for 127.0.0.1 and localhost,
/// and a client certificate for mutual TLS. ECDSA P-256 keys make this take a few milliseconds. The CA and
/// client material are written as PEM files (the way librdkafka's ssl.* settings take them) into a
/// temporary folder that disposal deletes.
/// </summary>
internal sealed class TlsMaterial : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2 _server;

    private TlsMaterial(X509Certificate2 ca, X509Certificate2 server, string directory, bool requireClientCertificate)
    {
        _ca = ca;
        _server = server;
        Directory = directory;
        CaPemPath = Path.Combine(directory, "ca.pem");
        ClientCertPemPath = Path.Combine(directory, "client.pem");
        ClientKeyPemPath = Path.Combine(directory, "client.key");
        ServerOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(server, new X509Certificate2Collection(ca), offline: true),
            ClientCertificateRequired = requireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = requireClientCertificate ? ValidateClientCertificate : null,
        };
    }

    public string Directory { get; }

    public string CaPemPath { get; }

    public string ClientCertPemPath { get; }

    public string ClientKeyPemPath { get; }

    public SslServerAuthenticationOptions ServerOptions { get; }

    public static TlsMaterial Create(string host, bool requireClientCertificate)
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = notBefore.AddDays(30);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=KafkaTestCluster CA, O=KafkaTestCluster", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        if (IPAddress.TryParse(host, out var hostAddress))
        {
            if (!hostAddress.Equals(IPAddress.Loopback))
            {
                san.AddIpAddress(hostAddress);
            }
        }
        else if (host != "localhost")
        {
            san.AddDnsName(host);
        }

        var server = Issue(ca, caKey, "CN=localhost, O=KafkaTestCluster", san.Build(), "1.3.6.1.5.5.7.3.1", notBefore, notAfter, out var serverKey);
        using (serverKey)
        {
            var client = Issue(ca, caKey, "CN=client, O=KafkaTestCluster", null, "1.3.6.1.5.5.7.3.2", notBefore, notAfter, out var clientKey);
            using (clientKey)
            using (client)
            {
                var directory = Path.Combine(Path.GetTempPath(), "kafka-test-cluster-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
                System.IO.Directory.CreateDirectory(directory);
                var material = new TlsMaterial(ca, server.CopyWithPrivateKey(serverKey), directory, requireClientCertificate);
                server.Dispose();
                File.WriteAllText(material.CaPemPath, ca.ExportCertificatePem() + "\n");
                File.WriteAllText(material.ClientCertPemPath, client.ExportCertificatePem() + "\n");
                File.WriteAllText(material.ClientKeyPemPath, clientKey.ExportPkcs8PrivateKeyPem() + "\n");
                return material;
            }
        }
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa caKey, string subject, X509Extension? san, string usageOid,
        DateTimeOffset notBefore, DateTimeOffset notAfter, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var signer = X509SignatureGenerator.CreateForECDsa(caKey);
        return request.Create(ca.SubjectName, signer, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
    }

    /// <summary>A client certificate is accepted only when it chains to this cluster's CA.</summary>
    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented);
    }

    public void Dispose()
    {
        _server.Dispose();
        _ca.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a client may still hold a file open; the OS temp cleaner takes it
        }
    }
}
