using KafkaTestCluster.Security;

namespace KafkaTestCluster.Network;

/// <summary>Per-connection authentication state: which SASL step the client is at and whether it may send other requests.</summary>
internal sealed class ConnectionSession(SaslServer? sasl)
{
    /// <summary>null = the listener does not use SASL.</summary>
    public SaslServer? Sasl { get; } = sasl;

    public bool Authenticated { get; set; } = sasl is null;

    /// <summary>The mechanism chosen by SaslHandshake; its exchange is under way until <see cref="Authenticated"/>.</summary>
    public ISaslExchange? Exchange { get; set; }

    /// <summary>SaslHandshake v0: the following frames are bare SASL tokens without a Kafka request header.</summary>
    public bool RawTokenFrames { get; set; }

    public string? Principal { get; set; }

    /// <summary>What an unauthenticated client may send on a SASL listener; anything else closes the connection.</summary>
    public bool Allows(ApiKey api) =>
        Authenticated || api == ApiKey.ApiVersions || api == ApiKey.SaslHandshake || (api == ApiKey.SaslAuthenticate && Exchange is not null);
}
