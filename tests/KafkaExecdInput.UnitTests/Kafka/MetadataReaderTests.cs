using Confluent.Kafka;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

public class MetadataReaderTests
{
    /// <summary>Metadata and watermarks only: no group phase.</summary>
    private static GatherRequest MetadataOnly(TimeSpan budget) =>
        new(1, budget, WantMetadata: true, WantGroups: false, OffsetGroups: OffsetGroupSelection.Nothing, WantWatermarks: true, []);

    [Fact]
    public async Task A_metadata_request_that_times_out_is_asked_again_up_to_MetadataAttempts_then_reported()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = timeout =>
        {
            h.Time.Advance(timeout);
            throw new KafkaException(ErrorCode.Local_TimedOut);
        };

        await h.GatherAsync(MetadataOnly(ReaderHarness.RequestTimeout * (MetadataReader.MetadataAttempts + 1)));

        Assert.Equal(MetadataReader.MetadataAttempts, h.Admin.CallsTo(AdminApi.GetMetadata).Count);
        var error = Assert.Single(h.Sink.Errors);
        Assert.Equal("metadata", error.Source);
        Assert.Contains("Timed out", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sink.Parts.OfType<MetadataPart>());
        Assert.Empty(h.Admin.CallsTo(AdminApi.ListOffsets));
    }

    [Fact]
    public async Task The_deadline_ends_the_metadata_retries_and_each_attempt_gets_only_what_is_left()
    {
        Assert.True(MetadataReader.MetadataAttempts > 2);
        var h = new ReaderHarness();
        var budget = ReaderHarness.RequestTimeout * 1.5;
        h.Admin.OnGetMetadata = timeout =>
        {
            h.Time.Advance(timeout);
            throw new KafkaException(ErrorCode.Local_TimedOut);
        };

        await h.GatherAsync(MetadataOnly(budget));

        Assert.Equal([ReaderHarness.RequestTimeout, budget - ReaderHarness.RequestTimeout],
            h.Admin.CallsTo(AdminApi.GetMetadata).Select(c => c.Timeout!.Value));
        Assert.Equal("metadata", Assert.Single(h.Sink.Errors).Source);
    }

    [Fact]
    public async Task Metadata_answered_on_a_later_attempt_is_sent_without_an_error()
    {
        var h = new ReaderHarness();
        var attempts = 0;
        var healthy = h.Admin.OnGetMetadata;
        h.Admin.OnGetMetadata = timeout => ++attempts == 1 ? throw new KafkaException(ErrorCode.Local_TimedOut) : healthy(timeout);

        await h.GatherAsync(MetadataOnly(TimeSpan.FromSeconds(20)));

        Assert.Equal(2, attempts);
        Assert.Equal("t", h.Sink.Parts.OfType<MetadataPart>().Single().Metadata.Topics.Single().Name);
        Assert.Empty(h.Sink.Errors);
    }

    [Fact]
    public async Task A_metadata_error_other_than_a_timeout_is_not_asked_again()
    {
        var h = new ReaderHarness();
        h.Admin.OnGetMetadata = _ => throw new KafkaException(ErrorCode.TopicAuthorizationFailed);

        await h.GatherAsync(MetadataOnly(TimeSpan.FromSeconds(20)));

        Assert.Single(h.Admin.CallsTo(AdminApi.GetMetadata));
        Assert.Equal("metadata", Assert.Single(h.Sink.Errors).Source);
    }
}
