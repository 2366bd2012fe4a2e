using Confluent.Kafka;
using KafkaExecdInput.Kafka;

namespace KafkaExecdInput.UnitTests.Kafka;

public class ClientHealthTests
{
    [Fact]
    public void All_brokers_down_after_a_certificate_error_keeps_the_certificate_error_as_the_reason()
    {
        var health = new ClientHealth();
        health.Record(new Error(ErrorCode.Local_Ssl, "ssl://b1:9093/bootstrap: SSL handshake failed: certificate verify failed"));
        health.Record(new Error(ErrorCode.Local_AllBrokersDown, "3/3 brokers are down"));

        Assert.Contains("certificate verify failed", health.DescribeLastError(), StringComparison.Ordinal);
        Assert.DoesNotContain("brokers are down", health.DescribeLastError(), StringComparison.Ordinal);
    }

    [Fact]
    public void All_brokers_down_alone_is_still_the_reason_and_a_later_specific_error_replaces_it()
    {
        var health = new ClientHealth();
        health.Record(new Error(ErrorCode.Local_AllBrokersDown, "3/3 brokers are down"));
        Assert.Contains("brokers are down", health.DescribeLastError(), StringComparison.Ordinal);

        health.Record(new Error(ErrorCode.Local_Authentication, "SASL authentication error: Authentication failed"));
        Assert.Contains("Authentication failed", health.DescribeLastError(), StringComparison.Ordinal);
    }
}
