namespace KafkaTestCluster;

/// <summary>PEM files a client needs to talk to the TLS listener. They are deleted when the cluster is disposed.</summary>
public sealed class ClusterTls
{
    internal ClusterTls(string directory, string caPemPath, string clientCertPemPath, string clientKeyPemPath)
    {
        Directory = directory;
        CaPemPath = caPemPath;
        ClientCertPemPath = clientCertPemPath;
        ClientKeyPemPath = clientKeyPemPath;
    }

    public string Directory { get; }

    /// <summary>The CA that signed the brokers' certificate (ssl.ca.location).</summary>
    public string CaPemPath { get; }

    /// <summary>A client certificate signed by the CA, for mutual TLS (ssl.certificate.location).</summary>
    public string ClientCertPemPath { get; }

    /// <summary>The client certificate's unencrypted PKCS#8 key (ssl.key.location).</summary>
    public string ClientKeyPemPath { get; }
}
