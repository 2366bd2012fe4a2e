namespace KafkaExecdInput.Configuration;

/// <summary>Which values are secrets, and how one is shown instead of its value.</summary>
internal static class Secret
{
    public const string Redacted = "(redacted)";

    private static readonly string[] SecretWords = ["password", "secret", "token", "key"];

    // librdkafka properties that carry credentials without saying so in their name.
    private static readonly string[] SecretProperties = ["sasl.oauthbearer.config", "sasl.oauthbearer.extensions"];

    /// <summary>
    /// True for a librdkafka property whose name contains "password", "secret", "token" or "key",
    /// or that is known to carry credentials (sasl.oauthbearer.config, sasl.oauthbearer.extensions).
    /// Deliberately broad (it also hides paths such as ssl.key.location): a hidden path costs a
    /// look at the config file, a shown secret costs a rotation.
    /// </summary>
    public static bool IsSecretProperty(string name)
    {
        if (SecretProperties.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (string word in SecretWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"(redacted)" for a set secret, nothing for an unset one.</summary>
    public static string? Show(string? value) => value is null ? null : Redacted;
}
