using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KafkaExecdInput.Configuration;

/// <summary>Checks a bootstrap broker address: "host:port", with an IPv6 literal as "[::1]:9092".</summary>
internal static class BrokerAddress
{
    /// <summary>Null for a usable address, else why it is not one (e.g. "has no port").</summary>
    public static string? Problem(string address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "is empty";
        }

        // librdkafka splits bootstrap.servers at commas and whitespace.
        if (address.Any(c => c == ',' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "contains a comma, whitespace or control character";
        }

        if (address.Contains("://", StringComparison.Ordinal))
        {
            return "has a scheme; write only \"host:port\" (TLS and SASL have their own options)";
        }

        int colon = address.LastIndexOf(':');
        if (colon < 0)
        {
            return "has no port (write \"host:port\", e.g. \"kafka1:9092\")";
        }

        string host = address[..colon];
        string port = address[(colon + 1)..];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || !IPAddress.TryParse(host[1..^1], out IPAddress? ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return "has a bracketed host that is not an IPv6 address";
            }
        }
        else if (host.Length == 0)
        {
            return "has no host";
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return "looks like an IPv6 address without brackets (write \"[::1]:9092\")";
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            return "has no valid port (1-65535)";
        }

        return null;
    }
}
