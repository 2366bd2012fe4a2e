namespace KafkaExecdInput.Configuration;

/// <summary>Which values are secrets, and how one is shown instead of its value.</summary>
internal static class Secret
{
    public const string Redacted = "(redacted)";

    private static readonly string[] SecretWords = ["password", "secret", "token", "key"];

    /// <summary>
    /// True for a librdkafka property whose name contains "password", "secret", "token" or "key".
    /// Deliberately broad (it also hides paths such as ssl.key.location): a hidden path costs a
    /// look at the config file, a shown secret costs a rotation.
    /// </summary>
    public static bool IsSecretProperty(string name)
    {
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
