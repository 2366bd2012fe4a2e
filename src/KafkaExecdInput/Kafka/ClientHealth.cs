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
    private bool _coordinatorTimedOut;

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
            return _lastError is null ? "" : $"; last client error: {KafkaErrors.Describe(_lastError)}{Hint(_lastError)}";
        }
    }

    /// <summary>
    /// True once a request to a group coordinator has timed out. librdkafka 2.16 then aborts the
    /// process (rdkafka_queue.h "eonce->refcnt > 0" assertion) when the connection to that
    /// coordinator comes up again, which is usually during a later gather; the worker whose client
    /// this is asks to be replaced instead (Kafka/README.md).
    /// </summary>
    public bool CoordinatorRequestTimedOut
    {
        get
        {
            lock (_lock)
            {
                return _coordinatorTimedOut;
            }
        }
    }

    public void RecordCoordinatorTimeout()
    {
        lock (_lock)
        {
            _coordinatorTimedOut = true;
        }
    }

    /// <summary>
    /// librdkafka says "certificate verify failed ... verify that ssl.ca.location is correctly
    /// configured" also when the CA is right and the host name is wrong; name both causes.
    /// </summary>
    private static string Hint(Error error) =>
        error.Reason.Contains("certificate verify failed", StringComparison.Ordinal)
            ? " (the broker's certificate must be signed by a CA in tls_ca, or the system's CAs without it, and must name the broker's host as the client reaches it: as written in brokers, or as the brokers advertise themselves)"
            : "";

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
