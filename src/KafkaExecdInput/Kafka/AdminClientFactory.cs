using Confluent.Kafka;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Creates the one AdminClient of the worker's life (connections are reused across gathers) and
/// routes librdkafka's own logging and error callbacks into ours.
/// </summary>
internal static class AdminClientFactory
{
    /// <summary>How long a static OAUTHBEARER token is handed to librdkafka for; it asks again before expiry.</summary>
    private static readonly TimeSpan StaticTokenLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Builds the client. Throws <see cref="ClientConfigurationException"/> when librdkafka rejects the
    /// configuration (unknown property, unsupported SASL mechanism in this build, unreadable file).
    /// </summary>
    public static IAdminClient Create(ReaderSettings settings, ClientHealth health, ILogger logger)
    {
        var properties = new Dictionary<string, string>(settings.ClientProperties, StringComparer.Ordinal);
        // Connection closes are routine (idle brokers); logging each is noise.
        properties.TryAdd("log.connection.close", "false");

        var builder = new AdminClientBuilder(properties)
            .SetLogHandler((_, message) => LogLibrdkafka(logger, message))
            .SetErrorHandler((_, error) =>
            {
                health.Record(error);
                // Reconnect errors repeat every backoff; the gather reports them once (ClientHealth).
                logger.Log(error.IsFatal ? LogLevel.Error : LogLevel.Debug, "kafka client: {Error}", KafkaErrors.Describe(error));
            });

        if (settings.StaticOAuthToken is { } token)
        {
            var principal = properties.GetValueOrDefault("sasl.username") ?? "kafka-execd-input";
            builder.SetOAuthBearerTokenRefreshHandler((client, _) =>
            {
                var expiresAt = DateTimeOffset.UtcNow.Add(StaticTokenLifetime).ToUnixTimeMilliseconds();
                client.OAuthBearerSetToken(token, expiresAt, principal);
            });
        }

        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KafkaException)
        {
            throw new ClientConfigurationException(Explain(e.Message.ReplaceLineEndings(" ")), e);
        }
    }

    private static string Explain(string librdkafkaMessage) =>
        librdkafkaMessage.Contains("GSSAPI", StringComparison.Ordinal)
            ? "sasl_mechanism = \"GSSAPI\" is not available: the librdkafka bundled for this host was built without "
              + "GSSAPI/Kerberos (Confluent's GSSAPI build needs libsasl2.so.3, which Debian-family systems do not "
              + $"ship). librdkafka said: {librdkafkaMessage}"
            : $"the Kafka client rejected the configuration: {librdkafkaMessage}";

    private static void LogLibrdkafka(ILogger logger, LogMessage message)
    {
        // librdkafka logs every failed connect at ERR level; the gather summary reports the failure once.
        var level = message.Level <= SyslogLevel.Error ? LogLevel.Debug : LogLevel.Trace;
        logger.Log(level, "librdkafka {Facility}: {Message}", message.Facility, message.Message);
    }
}

/// <summary>The client could not be created from the configuration; a configuration error for the user.</summary>
internal sealed class ClientConfigurationException(string message, Exception inner) : Exception(message, inner);
