using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Reads one gather from Kafka and sends it in parts (design.md §2, §5). It holds only the order and
/// deadline rules; each Kafka call has its own reader. Metadata and groups are read side by side;
/// committed offsets are read before high watermarks so that a commit landing during the gather can
/// never make lag negative. Every failure becomes a <see cref="GatherError"/>; nothing read is ever
/// dropped for it.
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
    }

    public async Task GatherAsync(GatherRequest request, IGatherSink sink)
    {
        var lagging = _records is null ? null : new LaggingPositionsSink(sink);
        sink = lagging ?? sink;
        var deadline = new Deadline(request.Budget, _time);
        var metadataTask = request.WantMetadata || request.WantWatermarks
            ? Task.Run(() => _metadata.ReadAsync(deadline, sink))
            : Task.FromResult<ClusterMetadata?>(null);
        var groupsTask = ReadGroupsAndOffsetsAsync(request, deadline, sink);

        var metadata = await metadataTask.ConfigureAwait(false);
        if (metadata is not null && request.WantMetadata)
        {
            await sink.SendAsync(new MetadataPart(metadata)).ConfigureAwait(false);
        }

        if (request.WantWatermarks && metadata is not null)
        {
            await WaitForCommittedOffsetsAsync(groupsTask, deadline).ConfigureAwait(false);
            await _watermarks.ReadAsync(metadata, deadline, sink).ConfigureAwait(false);
        }
        await groupsTask.ConfigureAwait(false);
        if (lagging is not null)
        {
            // Last: it needs both the committed offsets and the latest offsets, and is the one part a
            // gather can best do without (the history still answers).
            await _records!.ReadAsync(lagging.Lagging(), deadline, sink).ConfigureAwait(false);
        }
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
    private async Task WaitForCommittedOffsetsAsync(Task groupsTask, Deadline deadline)
    {
        var wait = deadline.Remaining - WatermarksReserve(_settings, deadline.Budget);
        if (wait > TimeSpan.Zero && !groupsTask.IsCompleted)
        {
            await Task.WhenAny(groupsTask, Task.Delay(wait, _time)).ConfigureAwait(false);
        }
    }

    private async Task ReadGroupsAndOffsetsAsync(GatherRequest request, Deadline deadline, IGatherSink sink)
    {
        if (!request.WantGroups)
        {
            // A resumed gather whose groups already arrived: only the offsets still missing.
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
        var offsets = _offsets.FetchAsync(request.OffsetGroups.Resolve(listed.GroupIds), deadline, sink);
        await _groups.RecoverAsync(listed, request.WantGroups, deadline, sink).ConfigureAwait(false);

        var offsetFailures = await offsets.ConfigureAwait(false);
        await sink.SendErrorsAsync(offsetFailures).ConfigureAwait(false);
    }
}
