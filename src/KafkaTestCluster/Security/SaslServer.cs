using System.Collections.Concurrent;

namespace KafkaTestCluster.Security;

/// <summary>One step of a SASL exchange: the bytes to send back, and whether the exchange ended.</summary>
internal readonly record struct SaslStep(byte[] Response, bool Complete, bool Failed, string? ErrorMessage, string? Principal)
{
    public static SaslStep Continue(byte[] response) => new(response, false, false, null, null);

    public static SaslStep Success(byte[] response, string principal) => new(response, true, false, null, principal);

    public static SaslStep Failure(string message) => new([], false, true, message, null);
}

/// <summary>A mechanism's server side for one connection.</summary>
internal interface ISaslExchange
{
    SaslStep Evaluate(ReadOnlySpan<byte> clientMessage);
}

/// <summary>The SASL mechanisms and users of a listener; hands out one exchange per authenticating connection.</summary>
internal sealed class SaslServer
{
    private readonly IReadOnlyDictionary<string, string> _users;
    private readonly ConcurrentDictionary<(string User, ScramAlgorithm Algorithm), ScramCredential> _scramCredentials = new();

    public SaslServer(IReadOnlyList<string> mechanisms, IReadOnlyDictionary<string, string> users)
    {
        foreach (var mechanism in mechanisms)
        {
            if (mechanism is not ("PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512"))
            {
                throw new ArgumentException($"Unsupported SASL mechanism '{mechanism}'.", nameof(mechanisms));
            }
        }

        Mechanisms = [.. mechanisms];
        _users = users;
    }

    public IReadOnlyList<string> Mechanisms { get; }

    /// <summary>null when the mechanism is not enabled on this listener.</summary>
    public ISaslExchange? Begin(string mechanism)
    {
        if (!Mechanisms.Contains(mechanism))
        {
            return null;
        }

        return mechanism switch
        {
            "PLAIN" => new PlainExchange(_users),
            "SCRAM-SHA-256" => new ScramExchange(ScramAlgorithm.Sha256, Credential),
            "SCRAM-SHA-512" => new ScramExchange(ScramAlgorithm.Sha512, Credential),
            _ => null,
        };
    }

    /// <summary>Salted credentials are derived on first use and kept, as a broker keeps them in its metadata.</summary>
    private ScramCredential? Credential(string user, ScramAlgorithm algorithm) =>
        _users.TryGetValue(user, out var password)
            ? _scramCredentials.GetOrAdd((user, algorithm), key => ScramCredential.Derive(password, key.Algorithm))
            : null;
}
