namespace KafkaExecdInput.Configuration;

internal enum SaslMechanism
{
    None,
    Plain,
    ScramSha256,
    ScramSha512,
    Gssapi,
    OAuthBearer,
}

/// <summary>The mechanism names as written in the config and sent to librdkafka's sasl.mechanisms.</summary>
internal static class SaslMechanismNames
{
    private static readonly (SaslMechanism Mechanism, string Name)[] Names =
    [
        (SaslMechanism.Plain, "PLAIN"),
        (SaslMechanism.ScramSha256, "SCRAM-SHA-256"),
        (SaslMechanism.ScramSha512, "SCRAM-SHA-512"),
        (SaslMechanism.Gssapi, "GSSAPI"),
        (SaslMechanism.OAuthBearer, "OAUTHBEARER"),
    ];

    /// <summary>"PLAIN, SCRAM-SHA-256, …" for error messages.</summary>
    public static string Supported { get; } = string.Join(", ", Names.Select(n => n.Name));

    public static string ToName(SaslMechanism mechanism) =>
        Names.FirstOrDefault(n => n.Mechanism == mechanism).Name
        ?? throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "No SASL mechanism has this value.");

    /// <summary>Case-insensitive, as users write "plain" as often as "PLAIN"; empty means no SASL.</summary>
    public static bool TryParse(string text, out SaslMechanism mechanism)
    {
        mechanism = SaslMechanism.None;
        if (text.Length == 0)
        {
            return true;
        }

        foreach ((SaslMechanism candidate, string name) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                mechanism = candidate;
                return true;
            }
        }

        return false;
    }
}
