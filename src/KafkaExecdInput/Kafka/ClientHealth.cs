using Confluent.Kafka;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// The last connection-level error librdkafka reported through its error callback. Admin calls that
/// fail because no broker could be reached only say "timed out"; the callback knows why
/// (connection refused, SASL authentication failed, certificate verify failed), so that reason is
/// attached to the gather's error instead of being logged once per reconnect attempt.
/// </summary>
internal sealed class ClientHealth
{
    private readonly Lock _lock = new();
    private Error? _lastError;

    public void Record(Error error)
    {
        lock (_lock)
        {
            _lastError = error;
        }
    }

    /// <summary>The reason to append to a failure, e.g. "; last client error: Local_Authentication: ...".</summary>
    public string DescribeLastError()
    {
        lock (_lock)
        {
            return _lastError is null ? "" : $"; last client error: {KafkaErrors.Describe(_lastError)}";
        }
    }

    /// <summary>True when the last error means credentials or certificates were refused: retrying will not help.</summary>
    public bool LastErrorIsAuthentication
    {
        get
        {
            lock (_lock)
            {
                return _lastError?.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed
                    or ErrorCode.Local_Ssl;
            }
        }
    }
}
