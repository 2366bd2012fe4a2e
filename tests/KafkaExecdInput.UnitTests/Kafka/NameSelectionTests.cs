using KafkaExecdInput.Configuration;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.UnitTests.Kafka;

public class NameSelectionTests
{
    [Fact]
    public void Topics_and_groups_follow_their_own_filters_and_exclude_wins()
    {
        var selection = new NameSelection(
            NameFilter.FromPatterns(["^app-"], ["-internal$"]),
            NameFilter.FromPatterns([], ["^console-consumer-"]),
            new RecordingLogger());

        Assert.True(selection.IncludesTopic("app-orders"));
        Assert.False(selection.IncludesTopic("app-orders-internal"));
        Assert.False(selection.IncludesTopic("__consumer_offsets"));
        Assert.True(selection.IncludesGroup("svc"));
        Assert.False(selection.IncludesGroup("console-consumer-42"));
    }

    [Fact]
    public void A_name_whose_filter_match_times_out_is_left_out_with_one_warning()
    {
        var logger = new RecordingLogger();
        var selection = new NameSelection(NameFilter.FromPatterns(["^(a+)+$", "^ok$"], []), NameFilter.IncludeAll, logger);
        var slowName = new string('a', 40) + "!";

        Assert.False(selection.IncludesTopic(slowName));
        Assert.False(selection.IncludesTopic(slowName));
        Assert.True(selection.IncludesTopic("ok"));
        Assert.Contains("filter pattern took longer than 100 ms", Assert.Single(logger.Warnings), StringComparison.Ordinal);
    }
}
