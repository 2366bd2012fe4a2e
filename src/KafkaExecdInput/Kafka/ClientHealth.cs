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
            // "N/N brokers are down" follows each broker's own failure and says nothing of why: keep the
            // cause it sums up (a certificate or password error), which is what the user must fix.
            if (error.Code == ErrorCode.Local_AllBrokersDown && _lastError is not null)
            {
                return;
            }
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
    /// True once a request to a group coordinator has timed out: this client is then one that
    /// librdkafka 2.16 is known to abort later (Kafka/README.md, crash fact `coordinator-timeout-abort`),
    /// so the worker asks to be replaced.
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

    /// <summary>A failed call's error; a timeout says why no broker answered, when the client knows.</summary>
    public string Describe(Error error) =>
        error.Code == ErrorCode.Local_TimedOut
            ? KafkaErrors.Describe(error) + DescribeLastError()
            : KafkaErrors.Describe(error);

    /// <summary>
    /// For failures of requests to a group coordinator (DescribeGroups, OffsetFetch): a timed-out
    /// one also marks this client for replacement (<see cref="CoordinatorRequestTimedOut"/>).
    /// </summary>
    public string DescribeCoordinatorFailure(Error error)
    {
        if (error.Code == ErrorCode.Local_TimedOut)
        {
            RecordCoordinatorTimeout();
        }
        return Describe(error);
    }

    /// <summary>
    /// librdkafka says "certificate verify failed ... verify that ssl.ca.location is correctly
    /// configured" also when the CA is right and the host name is wrong; name both causes.
    /// </summary>
    private static string Hint(Error error) =>
        error.Reason.Contains("certificate verify failed", StringComparison.Ordinal)
            ? " (the broker's certificate must be signed by a CA in tls_ca, or the system's CAs without it, and must name the broker's host as the client reaches it: as written in brokers, or as the brokers advertise themselves)"
            : "";
}
