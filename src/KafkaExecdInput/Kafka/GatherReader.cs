using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads one gather from Kafka and sends it in parts (design.md §2, §5). It holds only the order and
/// deadline rules; each Kafka call has its own reader. Metadata and the group listing are read side
/// by side, offset fetches after the metadata; committed offsets are read before high watermarks so
/// that a commit landing during the gather can never make lag negative. Every failure becomes a
/// <see cref="GatherError"/>; nothing read is ever dropped for it.
/// </summary>
internal sealed class GatherReader
{
    private readonly ClientHealth _health;
    private readonly ReaderSettings _settings;
    private readonly TimeProvider _time;
    private readonly MetadataReader _metadata;
    private readonly GroupListingReader _groups;
    private readonly CommittedOffsetsReader _offsets;
    private readonly WatermarksReader _watermarks;
    private readonly ClusterDescriptionReader _cluster;
    private readonly TopicConfigsReader _topicConfigs;
    private readonly RecordTimestampReader? _records;

    /// <param name="records">The exact mode of lag in seconds, or null when it is off.</param>
    public GatherReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings, ILogger logger, TimeProvider time,
        RecordTimestampReader? records = null)
    {
        _records = records;
        _health = health;
        _settings = settings;
        _time = time;
        var names = new NameSelection(settings.Topics, settings.Groups, logger);
        _metadata = new MetadataReader(admin, health, settings, names, logger);
        _groups = new GroupListingReader(admin, health, settings, names, logger, time);
        _offsets = new CommittedOffsetsReader(admin, health, settings, names, time);
        _watermarks = new WatermarksReader(admin, health, settings);
        _cluster = new ClusterDescriptionReader(admin, health, settings);
        _topicConfigs = new TopicConfigsReader(admin, health, settings);
    }

    /// <summary>Reads and sends one gather; returns how many Kafka calls were still running when it stopped waiting at the deadline.</summary>
    public async Task<int> GatherAsync(GatherRequest request, IGatherSink sink)
    {
        var lagging = _records is null ? null : new LaggingPositionsSink(sink);
        sink = lagging ?? sink;
        var committed = _settings.ShardOrWhole.IsWhole ? null : new CommittedPartitionsSink(sink, request.CommittedAlready);
        sink = committed ?? sink;
        var deadline = new Deadline(request.Budget, _time);
        var metadataAsked = request.WantMetadata || request.WantWatermarks || request.TopicConfigKeys is not null;
        var metadataTask = metadataAsked
            ? Task.Run(() => _metadata.ReadAsync(deadline, sink))
            : Task.FromResult<ClusterMetadata?>(null);
        var groupsTask = ReadGroupsAndOffsetsAsync(request, metadataTask, deadline, sink);

        var metadata = await metadataTask.ConfigureAwait(false);
        if (metadata is not null && request.WantMetadata)
        {
            await sink.SendAsync(new MetadataPart(metadata)).ConfigureAwait(false);
        }

        // After the metadata, never beside it: when the metadata failed (a TLS or SASL handshake
        // that fails), a DescribeCluster beside it made librdkafka reconnect to every broker until
        // the deadline. When it failed there is no broker to ask anyway.
        var detailsTask = metadataAsked && metadata is null
            ? Task.CompletedTask
            : ReadClusterDetailsAsync(request, metadata, deadline, sink);

        if (request.WantWatermarks && metadata is not null)
        {
            await WaitForCommittedOffsetsAsync(groupsTask, deadline).ConfigureAwait(false);
            if (committed is null)
            {
                await _watermarks.ReadAsync(metadata, deadline, sink).ConfigureAwait(false);
            }
            else
            {
                await ReadShardWatermarksAsync(metadata, committed, groupsTask, deadline, sink).ConfigureAwait(false);
            }
        }
        await groupsTask.ConfigureAwait(false);
        await detailsTask.ConfigureAwait(false);
        if (lagging is not null)
        {
            // Last: it needs both the committed offsets and the latest offsets, and is the one part a
            // gather can best do without (the history still answers).
            await _records!.ReadAsync(lagging.Lagging(), deadline, sink).ConfigureAwait(false);
        }
        return deadline.AbandonedCalls;
    }

    /// <summary>
    /// How long before the deadline the watermarks start at the latest: one ListOffsets call, but at
    /// most half the budget.
    /// </summary>
    internal static TimeSpan WatermarksReserve(ReaderSettings settings, TimeSpan budget) =>
        settings.AdminCallTimeout < budget / 2 ? settings.AdminCallTimeout : budget / 2;

    /// <summary>
    /// Committed offsets are read before high watermarks, so that lag is never understated
    /// (design.md §4). But a group phase held up by a slow or unreachable coordinator must not use
    /// up the whole deadline: that would cost the offsets of every partition, and with them every
    /// group's lag. So the watermarks start once the groups are done, or at the latest when
    /// <see cref="WatermarksReserve"/> is left; offset fetches still running then go on and are kept.
    /// </summary>
    private Task WaitForCommittedOffsetsAsync(Task groupsTask, Deadline deadline) =>
        deadline.WaitAtMostAsync(groupsTask, deadline.Remaining - WatermarksReserve(_settings, deadline.Budget));

    /// <summary>
    /// A shard reads the offsets of the partitions it owns and of those its groups committed on (their
    /// lag needs the latest offset, whoever owns the partition; the earliest too, for lag in seconds).
    /// Commits that arrive after the watermarks started get a second, smaller pass once the groups are
    /// done, so each partition's latest offset is still read after its commits: lag is never negative.
    /// </summary>
    private async Task ReadShardWatermarksAsync(
        ClusterMetadata metadata, CommittedPartitionsSink committed, Task groupsTask, Deadline deadline, IGatherSink sink)
    {
        var scope = _settings.ShardOrWhole.For(metadata);
        var first = committed.Snapshot();
        await _watermarks.ReadAsync(metadata, deadline, sink,
            (topic, partition) => scope.OwnsPartition(topic, partition.Leader) || first.Contains((topic, partition.Id))).ConfigureAwait(false);

        await groupsTask.ConfigureAwait(false);
        var later = committed.Snapshot();
        later.ExceptWith(first);
        if (later.Count > 0)
        {
            await _watermarks.ReadAsync(metadata, deadline, sink,
                (topic, partition) => later.Contains((topic, partition.Id)) && !scope.OwnsPartition(topic, partition.Leader)).ConfigureAwait(false);
        }
    }

    /// <summary>DescribeCluster and DescribeConfigs, each only when asked for; side by side with the offsets.</summary>
    private async Task ReadClusterDetailsAsync(GatherRequest request, ClusterMetadata? metadata, Deadline deadline, IGatherSink sink)
    {
        var configsTask = request.TopicConfigKeys is { } keys && metadata is not null
            ? _topicConfigs.ReadAsync(metadata, keys, deadline, sink)
            : Task.CompletedTask;
        if (request.WantClusterDescription && await _cluster.ReadAsync(deadline, sink).ConfigureAwait(false) is { } cluster)
        {
            await sink.SendAsync(new ClusterDescriptionPart(cluster)).ConfigureAwait(false);
        }
        await configsTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Offset fetches are sent once the metadata has been answered, or half the remaining budget has
    /// passed. librdkafka may send the Metadata request on a coordinator's connection, and a broker
    /// answers one request per connection at a time: sent after that coordinator's offset fetches, it
    /// waited behind their responses, and when they were slow the gather lost every partition's
    /// offsets (seen once in CI, Faults/README.md). The group listing still runs beside the
    /// metadata, so the wait costs only the difference between the two.
    /// </summary>
    private static Task WaitForMetadataAsync(Task metadataTask, Deadline deadline) =>
        deadline.WaitAtMostAsync(metadataTask, deadline.Remaining / 2);

    private async Task ReadGroupsAndOffsetsAsync(GatherRequest request, Task metadataTask, Deadline deadline, IGatherSink sink)
    {
        if (!request.WantGroups)
        {
            // A resumed gather whose groups already arrived: only the offsets still missing.
            await WaitForMetadataAsync(metadataTask, deadline).ConfigureAwait(false);
            var resumedFailures = await _offsets.FetchAsync(request.OffsetGroups.Resolve([]), deadline, sink).ConfigureAwait(false);
            await sink.SendErrorsAsync(resumedFailures).ConfigureAwait(false);
            return;
        }

        var listed = await _groups.ListAsync(request.KnownGroups, deadline).ConfigureAwait(false);
        if (!listed.NeedsRecovery && request.WantGroups)
        {
            // Sent before any offset fetch, so that a worker crash in one (Kafka/README.md, crash fact
            // `not-coordinator-segv`) resumes with these groups and fetches only the offsets still missing.
            await sink.SendAsync(new GroupsPart([.. listed.Listed.Values], listed.DetailList)).ConfigureAwait(false);
        }

        // Offsets are fetched without waiting for groups to be described: they are missing because a
        // broker failed, and waiting for it would cost every group's offsets. (Offsets of a group that
        // turns out to be deleted are left out with the group.) Until the described groups are sent,
        // a worker crash makes the resumed gather list the groups again.
        await WaitForMetadataAsync(metadataTask, deadline).ConfigureAwait(false);
        var offsets = _offsets.FetchAsync(request.OffsetGroups.Resolve(listed.GroupIds), deadline, sink);
        await _groups.RecoverAsync(listed, request.WantGroups, deadline, sink).ConfigureAwait(false);

        var offsetFailures = await offsets.ConfigureAwait(false);
        await sink.SendErrorsAsync(offsetFailures).ConfigureAwait(false);
    }
}
