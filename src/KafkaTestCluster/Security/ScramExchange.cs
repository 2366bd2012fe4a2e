using System.Security.Cryptography;
using System.Text;

namespace KafkaTestCluster.Security;

internal enum ScramAlgorithm
{
    Sha256,
    Sha512,
}

/// <summary>A user's stored SCRAM credential (RFC 5802 section 3): salt, iterations, StoredKey and ServerKey.</summary>
internal sealed class ScramCredential
{
    /// <summary>Kafka's minimum (and the usual) iteration count.</summary>
    public const int Iterations = 4096;

    private ScramCredential(ScramAlgorithm algorithm, byte[] salt, byte[] storedKey, byte[] serverKey)
    {
        Algorithm = algorithm;
        Salt = salt;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    public ScramAlgorithm Algorithm { get; }

    public byte[] Salt { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    public static ScramCredential Derive(string password, ScramAlgorithm algorithm)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = HashName(algorithm);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, hash, HashSize(algorithm));
        var clientKey = Hmac(algorithm, salted, "Client Key"u8);
        return new ScramCredential(algorithm, salt, Hash(algorithm, clientKey), Hmac(algorithm, salted, "Server Key"u8));
    }

    public static HashAlgorithmName HashName(ScramAlgorithm algorithm) =>
        algorithm == ScramAlgorithm.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;

    private static int HashSize(ScramAlgorithm algorithm) => algorithm == ScramAlgorithm.Sha256 ? 32 : 64;

    public static byte[] Hmac(ScramAlgorithm algorithm, byte[] key, ReadOnlySpan<byte> data) =>
        algorithm == ScramAlgorithm.Sha256 ? HMACSHA256.HashData(key, data) : HMACSHA512.HashData(key, data);

    public static byte[] Hash(ScramAlgorithm algorithm, ReadOnlySpan<byte> data) =>
        algorithm == ScramAlgorithm.Sha256 ? SHA256.HashData(data) : SHA512.HashData(data);
}

/// <summary>
/// Server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677): client-first → server-first (nonce, salt,
/// iterations) → client-final with proof, verified against StoredKey → server-final with the server
/// signature, which the client verifies in turn. Failures carry Kafka's messages.
/// </summary>
internal sealed class ScramExchange(ScramAlgorithm algorithm, Func<string, ScramAlgorithm, ScramCredential?> credentials) : ISaslExchange
{
    private enum Stage
    {
        ClientFirst,
        ClientFinal,
        Done,
    }

    private Stage _stage = Stage.ClientFirst;
    private string _user = "";
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private string _gs2Header = "";
    private ScramCredential? _credential;

    private string MechanismName => algorithm == ScramAlgorithm.Sha256 ? "SCRAM-SHA-256" : "SCRAM-SHA-512";

    public SaslStep Evaluate(ReadOnlySpan<byte> clientMessage)
    {
        var message = Encoding.UTF8.GetString(clientMessage);
        return _stage switch
        {
            Stage.ClientFirst => ClientFirst(message),
            Stage.ClientFinal => ClientFinal(message),
            _ => SaslStep.Failure("Authentication failed: unexpected SCRAM message after completion"),
        };
    }

    private SaslStep ClientFirst(string message)
    {
        // gs2-header: channel-binding flag "n" or "y" (no binding: Kafka offers none), optional "a=authzid".
        var first = message.IndexOf(',', StringComparison.Ordinal);
        var second = first < 0 ? -1 : message.IndexOf(',', first + 1);
        if (first < 0 || second < 0 || message[0] is not ('n' or 'y'))
        {
            return SaslStep.Failure("Authentication failed: Invalid SCRAM client first message");
        }

        _gs2Header = message[..(second + 1)];
        _clientFirstBare = message[(second + 1)..];
        var attributes = Attributes(_clientFirstBare);
        if (!attributes.TryGetValue('n', out var user) || !attributes.TryGetValue('r', out var clientNonce) || clientNonce.Length == 0)
        {
            return SaslStep.Failure("Authentication failed: Invalid SCRAM client first message");
        }

        _user = user.Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        var authorizationId = _gs2Header.Split(',')[1];
        if (authorizationId.StartsWith("a=", StringComparison.Ordinal) && authorizationId[2..] != _user)
        {
            return SaslStep.Failure("Authentication failed: Authorization id does not match user name");
        }

        _credential = credentials(_user, algorithm);
        if (_credential is null)
        {
            return SaslStep.Failure("Authentication failed: Invalid user credentials");
        }

        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_credential.Salt)},i={ScramCredential.Iterations}";
        _stage = Stage.ClientFinal;
        return SaslStep.Continue(Encoding.UTF8.GetBytes(_serverFirst));
    }

    private SaslStep ClientFinal(string message)
    {
        _stage = Stage.Done;
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return SaslStep.Failure("Authentication failed: Invalid SCRAM client final message");
        }

        var withoutProof = message[..proofAt];
        var attributes = Attributes(message);
        if (!attributes.TryGetValue('r', out var nonce) || nonce != _nonce)
        {
            return SaslStep.Failure("Authentication failed: Invalid client nonce in the final client message.");
        }

        if (!attributes.TryGetValue('c', out var binding) || binding != Convert.ToBase64String(Encoding.UTF8.GetBytes(_gs2Header)))
        {
            return SaslStep.Failure("Authentication failed: Invalid channel binding in the final client message.");
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(attributes.GetValueOrDefault('p', ""));
        }
        catch (FormatException)
        {
            return SaslStep.Failure("Authentication failed: Invalid SCRAM client final message");
        }

        var credential = _credential!;
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = ScramCredential.Hmac(algorithm, credential.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return InvalidCredentials();
        }

        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(ScramCredential.Hash(algorithm, clientKey), credential.StoredKey))
        {
            return InvalidCredentials();
        }

        var serverSignature = ScramCredential.Hmac(algorithm, credential.ServerKey, authMessage);
        return SaslStep.Success(Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)), _user);
    }

    private SaslStep InvalidCredentials() =>
        SaslStep.Failure($"Authentication failed during authentication due to invalid credentials with SASL mechanism {MechanismName}");

    /// <summary>SCRAM attribute list "k=v,k=v"; values may contain '=' (base64), never ','.</summary>
    private static Dictionary<char, string> Attributes(string message)
    {
        var result = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                result.TryAdd(part[0], part[2..]);
            }
        }

        return result;
    }
}
