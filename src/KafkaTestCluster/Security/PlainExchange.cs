using System.Security.Cryptography;
using System.Text;

namespace KafkaTestCluster.Security;

/// <summary>SASL PLAIN (RFC 4616): one message "authzid NUL authcid NUL password", checked against the users.</summary>
internal sealed class PlainExchange(IReadOnlyDictionary<string, string> users) : ISaslExchange
{
    public SaslStep Evaluate(ReadOnlySpan<byte> clientMessage)
    {
        var parts = Encoding.UTF8.GetString(clientMessage).Split('\0');
        if (parts.Length != 3)
        {
            return SaslStep.Failure("Authentication failed: Invalid SASL/PLAIN response: expected 3 tokens, got " + parts.Length);
        }

        var (authorizationId, user, password) = (parts[0], parts[1], parts[2]);
        if (user.Length == 0)
        {
            return SaslStep.Failure("Authentication failed: username not specified");
        }

        if (authorizationId.Length > 0 && authorizationId != user)
        {
            return SaslStep.Failure("Authentication failed: Client requested an authorization id that is different from username");
        }

        if (!users.TryGetValue(user, out var expected) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(password)))
        {
            return SaslStep.Failure("Authentication failed: Invalid username or password");
        }

        return SaslStep.Success([], user);
    }
}
