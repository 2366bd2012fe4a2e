using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.UnitTests.Configuration;

public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("kafka1:9092")]
    [InlineData("10.0.0.7:9093")]
    [InlineData("[::1]:9092")]
    [InlineData("[2001:db8::7]:65535")]
    [InlineData("b-1.msk.eu-west-1.amazonaws.com:9098")]
    public void Accepts_host_and_port(string address)
    {
        Assert.Null(BrokerAddress.Problem(address));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("kafka1", "has no port (write \"host:port\", e.g. \"kafka1:9092\")")]
    [InlineData(":9092", "has no host")]
    [InlineData("kafka1:", "has no valid port (1-65535)")]
    [InlineData("kafka1:0", "has no valid port (1-65535)")]
    [InlineData("kafka1:65536", "has no valid port (1-65535)")]
    [InlineData("kafka1:+80", "has no valid port (1-65535)")]
    [InlineData("kafka1:9092,kafka2:9092", "contains a comma, whitespace or control character")]
    [InlineData("kafka 1:9092", "contains a comma, whitespace or control character")]
    [InlineData("PLAINTEXT://kafka1:9092", "has a scheme; write only \"host:port\" (TLS and SASL have their own options)")]
    [InlineData("::1:9092", "looks like an IPv6 address without brackets (write \"[::1]:9092\")")]
    [InlineData("[kafka1]:9092", "has a bracketed host that is not an IPv6 address")]
    public void Refuses_anything_else_with_a_reason(string address, string expected)
    {
        Assert.Equal(expected, BrokerAddress.Problem(address));
    }
}
