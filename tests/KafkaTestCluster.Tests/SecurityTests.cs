using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Confluent.Kafka;
using KafkaTestCluster.Protocol;
using KafkaTestCluster.Tests.Infrastructure;

namespace KafkaTestCluster.Tests;

/// <summary>TLS (server and mutual) and SASL (PLAIN, SCRAM-SHA-256/512) tested with the real client.</summary>
public sealed class SecurityTests
{
    private static readonly Dictionary<string, string> Users = new() { ["alice"] = "alice-secret", ["bob"] = "bob-secret" };

    private static TestCluster Start(bool tls = false, bool mutual = false, params string[] mechanisms) =>
        TestCluster.Start(new ClusterOptions
        {
            Brokers = 1,
            Security = new ClusterSecurity { Tls = tls, RequireClientCertificate = mutual, SaslMechanisms = mechanisms, Users = Users },
        });

    /// <summary>GetMetadata's outcome plus every error the client reported on the way.</summary>
    private static (bool Ok, List<string> Errors) TryMetadata(TestCluster cluster, Action<AdminClientConfig> tweak)
    {
        var errors = new List<string>();
        var config = Clients.Configure(new AdminClientConfig(), cluster);
        tweak(config);
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, e) => { lock (errors) { errors.Add(e.Reason); } }).Build();
        try
        {
            admin.GetMetadata(TimeSpan.FromSeconds(2));
            return (true, errors);
        }
        catch (KafkaException ex)
        {
            lock (errors)
            {
                errors.Add(ex.Error.Reason);
                return (false, [.. errors]);
            }
        }
    }

    [Fact]
    public void TlsWithTheGeneratedCaWorksAndTheFilesAreDeletedOnDispose()
    {
        string directory;
        using (var cluster = Start(tls: true))
        {
            Assert.Equal("SSL", cluster.SecurityProtocol);
            directory = cluster.Tls!.Directory;
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(cluster.Tls.CaPemPath), StringComparison.Ordinal);
            var (ok, errors) = TryMetadata(cluster, _ => { });
            Assert.True(ok, string.Join("; ", errors));
        }

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void TlsWithAnUnknownCaFails()
    {
        using var cluster = Start(tls: true);
        var otherCa = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.pem");
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Some Other CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(otherCa, ca.ExportCertificatePem());

            var (ok, errors) = TryMetadata(cluster, c => c.SslCaLocation = otherCa);

            Assert.False(ok);
            Assert.Contains(errors, e => e.Contains("SSL", StringComparison.OrdinalIgnoreCase) || e.Contains("certificate", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            File.Delete(otherCa);
        }
    }

    [Fact]
    public void MutualTlsRequiresTheClientCertificate()
    {
        using var cluster = Start(tls: true, mutual: true);

        var (withCert, errors) = TryMetadata(cluster, c =>
        {
            c.SslCertificateLocation = cluster.Tls!.ClientCertPemPath;
            c.SslKeyLocation = cluster.Tls.ClientKeyPemPath;
        });
        Assert.True(withCert, string.Join("; ", errors));

        var (withoutCert, _) = TryMetadata(cluster, _ => { });
        Assert.False(withoutCert);
    }

    [Theory]
    [InlineData("PLAIN", false, "Authentication failed: Invalid username or password")]
    [InlineData("SCRAM-SHA-256", false, "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512", true, "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")]
    public void SaslAcceptsTheRightPasswordAndReportsKafkasErrorForAWrongOne(string mechanism, bool tls, string brokerMessage)
    {
        using var cluster = Start(tls, false, mechanism);
        Assert.Equal(tls ? "SASL_SSL" : "SASL_PLAINTEXT", cluster.SecurityProtocol);
        var saslMechanism = mechanism switch
        {
            "PLAIN" => SaslMechanism.Plain,
            "SCRAM-SHA-256" => SaslMechanism.ScramSha256,
            _ => SaslMechanism.ScramSha512,
        };

        var (ok, errors) = TryMetadata(cluster, c => (c.SaslMechanism, c.SaslUsername, c.SaslPassword) = (saslMechanism, "alice", "alice-secret"));
        Assert.True(ok, string.Join("; ", errors));

        var (wrong, wrongErrors) = TryMetadata(cluster, c => (c.SaslMechanism, c.SaslUsername, c.SaslPassword) = (saslMechanism, "alice", "nope"));
        Assert.False(wrong);
        Assert.Contains(wrongErrors, e => e.Contains(brokerMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void SaslAuthenticateAnswersSaslAuthenticationFailedThenCloses()
    {
        using var cluster = Start(false, false, "PLAIN");
        using var client = RawKafkaClient.Connect(cluster.BrokerAddress(cluster.BrokerIds[0]));

        Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsV0(client)); // allowed before authentication
        var handshake = new KafkaReader(client.Call(ApiKey.SaslHandshake, 1, false, w => w.WriteString("PLAIN")));
        Assert.Equal(ErrorCodes.None, handshake.ReadInt16());
        var body = client.Call(ApiKey.SaslAuthenticate, 1, false, w => w.WriteBytes(Encoding.UTF8.GetBytes("\0alice\0wrong")));
        var reply = new KafkaReader(body);
        Assert.Equal(ErrorCodes.SaslAuthenticationFailed, reply.ReadInt16());
        Assert.Equal("Authentication failed: Invalid username or password", reply.ReadNullableString());
        Assert.True(client.IsClosedByServer());
    }

    [Fact]
    public void UnauthenticatedRequestsOnASaslListenerCloseTheConnection()
    {
        using var cluster = Start(false, false, "SCRAM-SHA-256");
        using var client = RawKafkaClient.Connect(cluster.BrokerAddress(cluster.BrokerIds[0]));
        client.Send(ApiKey.Metadata, 1, false, w => w.WriteArrayLength(0));
        Assert.True(client.IsClosedByServer());
    }

    [Fact]
    public void SaslHandshakeV0CarriesBareTokensAndAnUnknownMechanismIsRefused()
    {
        using var cluster = Start(false, false, "PLAIN");
        using (var client = RawKafkaClient.Connect(cluster.BrokerAddress(cluster.BrokerIds[0])))
        {
            var handshake = new KafkaReader(client.Call(ApiKey.SaslHandshake, 0, false, w => w.WriteString("PLAIN")));
            Assert.Equal(ErrorCodes.None, handshake.ReadInt16());
            var token = Encoding.UTF8.GetBytes("\0bob\0bob-secret");
            var frame = new byte[4 + token.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, token.Length);
            token.CopyTo(frame, 4);
            client.SendRaw(frame);
            Assert.Equal(ErrorCodes.None, RawRequests.ApiVersionsAfterRawToken(client));
        }

        using (var client = RawKafkaClient.Connect(cluster.BrokerAddress(cluster.BrokerIds[0])))
        {
            var refused = new KafkaReader(client.Call(ApiKey.SaslHandshake, 1, false, w => w.WriteString("GSSAPI")));
            Assert.Equal(ErrorCodes.UnsupportedSaslMechanism, refused.ReadInt16());
            Assert.Equal(1, refused.ReadArrayLength());
            Assert.Equal("PLAIN", refused.ReadString());
            Assert.True(client.IsClosedByServer());
        }
    }
}
