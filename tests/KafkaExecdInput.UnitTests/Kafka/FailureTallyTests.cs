using KafkaExecdInput.Kafka;

namespace KafkaExecdInput.UnitTests.Kafka;

public class FailureTallyTests
{
    [Fact]
    public void Many_items_failing_alike_become_one_error_naming_a_few()
    {
        var tally = new FailureTally("offsets", "group");
        for (var i = 0; i < 500; i++)
        {
            tally.Add($"g{i}", "Broker: Not coordinator");
        }
        tally.Add("lonely", "Local: Timed out");

        var errors = tally.ToErrors();

        Assert.Equal(2, errors.Count);
        Assert.Equal("offsets", errors[0].Source);
        Assert.Equal("500 groups (\"g0\", \"g1\", \"g2\", …): Broker: Not coordinator", errors[0].Message);
        Assert.Equal("group \"lonely\": Local: Timed out", errors[1].Message);
    }
}
