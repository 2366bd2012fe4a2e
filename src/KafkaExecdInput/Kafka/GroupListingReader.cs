using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaExecdInput.Sharding;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// Lists consumer groups with librdkafka's classic group listing (ListGroups, then one batched
/// DescribeGroups per broker: members and state come with it) instead of ListConsumerGroups, and
/// recovers what that listing can lose (Kafka/README.md, crash facts `listing-abort` and
/// `lossy-listing`): groups known from earlier gathers that the listing misses, and groups it could
/// not describe, are described one by one.
/// </summary>
/// <remarks>
/// With a shard (README, Sharding) only the groups it owns are kept: by broker, the classic listing
/// names each group's coordinator (the broker whose ListGroups answer held it), and a group described
/// one by one names it in its description.
/// </remarks>
internal sealed class GroupListingReader(IKafkaAdmin admin, ClientHealth health, ReaderSettings settings, NameSelection names, ILogger logger, TimeProvider time)
{
    private readonly Shard _shard = settings.ShardOrWhole;

    /// <summary>Group listings per gather when one fails fast (a broker answered with an error).</summary>
    internal const int ListGroupsAttempts = 3;

    /// <summary>Groups per DescribeConsumerGroups call for listed groups that must be described again.</summary>
    internal const int DescribeBatchSize = 100;

    /// <summary>Lists the groups that pass the group filter and finds which need to be described again.</summary>
    public async Task<ListedGroups> ListAsync(IReadOnlyList<string> knownGroups, Deadline deadline)
    {
        var (listed, anyShard, details, failure) = await ListGroupsAsync(deadline).ConfigureAwait(false);
        // Missing means missing from the listing, not owned by another shard (a group that moved away).
        var missing = knownGroups.Where(g => !anyShard.Contains(g) && names.IncludesGroup(g) && _shard.MayOwnGroup(g)).ToList();
        // Groups the listing found but could not describe (their coordinator answered DescribeGroups
        // with an error, typically while loading or moving, or the group is a KIP-848 consumer-type
        // group that DescribeGroups does not describe: IsDescribed) are asked again, one by one.
        var undescribed = listed.Values.Where(g => g.MemberCount is null).Select(g => g.GroupId).ToList();
        var listedAsDead = listed.Values
            .Where(g => g.MemberCount is null && string.Equals(g.State, nameof(ConsumerGroupState.Dead), StringComparison.Ordinal))
            .Select(g => g.GroupId).ToHashSet(StringComparer.Ordinal);
        return new ListedGroups(listed, details, missing, undescribed, failure) { ListedAsDead = listedAsDead };
    }

    /// <summary>
    /// Describes the groups the listing missed or could not describe, sends the groups when that
    /// changed them (<paramref name="sendGroups"/>), and sends the listing's and the descriptions' errors.
    /// </summary>
    public async Task RecoverAsync(ListedGroups groups, bool sendGroups, Deadline deadline, IGatherSink sink)
    {
        var failures = new FailureTally("groups", "group");
        if (groups.NeedsRecovery)
        {
            var listed = groups.Listed;
            var undescribed = groups.Undescribed.ToHashSet(StringComparer.Ordinal);
            var described = new Dictionary<string, ConsumerGroupInfo>(StringComparer.Ordinal);
            // Groups the listing missed are described one per call: they are missing because a broker did
            // not answer its ListGroups (or the whole listing was lost), and that broker coordinates some of
            // them. In a shared call its silence would hold back the answers for every other group until
            // the deadline, where the call is abandoned (Kafka/BoundedFanOut.cs).
            IEnumerable<string[]> batches = [.. groups.Undescribed.Chunk(DescribeBatchSize), .. groups.Missing.Chunk(1)];
            foreach (var (group, coordinator) in await DescribeGroupsAsync(
                batches, deadline, failures, groups.Details, groups.ListedAsDead).ConfigureAwait(false))
            {
                // A listed group's shard was decided by its listing; a missing one's by its description.
                if (undescribed.Contains(group.GroupId) || _shard.OwnsGroup(group.GroupId, coordinator))
                {
                    described[group.GroupId] = group;
                }
                else
                {
                    groups.Details.Remove(group.GroupId);
                }
            }
            foreach (var groupId in groups.Undescribed)
            {
                // Not described any more: deleted since it was listed.
                if (!described.Remove(groupId, out var group))
                {
                    listed.Remove(groupId);
                    continue;
                }
                listed[groupId] = group;
            }
            if (sendGroups)
            {
                await sink.SendAsync(new GroupsPart([.. listed.Values, .. described.Values], groups.DetailList)).ConfigureAwait(false);
            }
            await SendListingErrorAsync(sink, groups.ListingFailure, recoveredCount: described.Count).ConfigureAwait(false);
        }
        else if (groups.ListingFailure is not null)
        {
            await SendListingErrorAsync(sink, groups.ListingFailure, recoveredCount: 0).ConfigureAwait(false);
        }
        await sink.SendErrorsAsync(failures).ConfigureAwait(false);
    }

    /// <returns>The groups of this shard, every group listed (of any shard), the details of this shard's groups, and why the listing failed.</returns>
    private async Task<(Dictionary<string, ConsumerGroupInfo> Listed, HashSet<string> AnyShard, Dictionary<string, GroupDetail> Details, string? Failure)>
        ListGroupsAsync(Deadline deadline)
    {
        var listed = new Dictionary<string, ConsumerGroupInfo>(StringComparer.Ordinal);
        var anyShard = new HashSet<string>(StringComparer.Ordinal);
        var details = new Dictionary<string, GroupDetail>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var callTimeout = deadline.CallTimeout(settings.RequestTimeout);
            var startedAt = time.GetTimestamp();
            try
            {
                // A synchronous call: it blocks this pool thread for at most the timeout.
                var groups = await Task.Run(() => admin.ListGroups(callTimeout)).ConfigureAwait(false);
                foreach (var group in groups)
                {
                    if (!names.IncludesGroup(group.Group) || !anyShard.Add(group.Group)
                        || !_shard.OwnsGroup(group.Group, group.Broker?.BrokerId ?? -1))
                    {
                        continue;
                    }
                    // A group that could not be described gets no member count; it is described again.
                    var described = IsDescribed(group);
                    listed[group.Group] = new ConsumerGroupInfo(group.Group, group.State, described ? group.Members.Count : null);
                    if (described)
                    {
                        details[group.Group] = GroupDetails.FromListing(group, names.IncludesTopic);
                    }
                }
                return (listed, anyShard, details, null);
            }
            catch (KafkaException e) when (attempt < ListGroupsAttempts && !deadline.Expired
                && time.GetElapsedTime(startedAt) < callTimeout / 2)
            {
                // One broker's error loses the whole listing (librdkafka keeps only the error). A quick
                // failure is a broker that answered with an error (coordinator loading or moving, or a
                // broker just removed from the cluster), often gone a moment later: ask again.
                logger.LogDebug("listing consumer groups: {Error}; asking again", KafkaErrors.Describe(e));
            }
            catch (KafkaException e)
            {
                return (listed, anyShard, details, KafkaErrors.Describe(e) + health.DescribeLastError());
            }
        }
    }

    /// <summary>
    /// Whether the classic listing's description of a group can be believed. Kafka 4 describes only
    /// classic groups through DescribeGroups: a KIP-848 consumer-type group (group.protocol=consumer)
    /// comes back "Dead" with no protocol, no members and no error (ConsumerProtocolGroupTests). A group
    /// the listing just found is not dead, so such a group is described again with
    /// DescribeConsumerGroups, which asks ConsumerGroupDescribe first (librdkafka 2.10+). Classic
    /// groups are never Dead here, so they cost no extra request.
    /// </summary>
    private static bool IsDescribed(GroupInfo group) =>
        !group.Error.IsError && !string.Equals(group.State, nameof(ConsumerGroupState.Dead), StringComparison.Ordinal);

    private static Task SendListingErrorAsync(IGatherSink sink, string? listingFailure, int recoveredCount) =>
        listingFailure is not null
            ? sink.SendErrorAsync("groups", recoveredCount > 0
                ? $"listing consumer groups failed ({listingFailure}); {recoveredCount} groups known from earlier gathers were described one by one, new groups are missing"
                : $"listing consumer groups failed: {listingFailure}")
            : recoveredCount > 0
                ? sink.SendErrorAsync("groups",
                    $"the group listing missed {recoveredCount} existing groups (a broker's ListGroups failed); they were described one by one, new groups on that broker are missing")
                : Task.CompletedTask;

    /// <summary>
    /// Describes groups one coordinator round trip each (inside librdkafka); returns the groups that
    /// exist. A group that is gone (Dead, or unknown to Kafka) was deleted since it was last seen and
    /// is not a failure; a group whose coordinator cannot answer (or that is not asked before the
    /// deadline) is kept with an unknown member count. Each comes with its coordinator's id (-1 when unknown).
    /// </summary>
    /// <param name="details">Where the described groups' details go.</param>
    /// <param name="listedAsDead">
    /// Groups the listing found but DescribeGroups called Dead (IsDescribed): described as gone again, they
    /// are not deleted but KIP-848 groups that a broker without ConsumerGroupDescribe cannot describe. They
    /// are kept, with an unknown member count, so their offsets and lag are still written.
    /// </param>
    private async Task<IReadOnlyList<(ConsumerGroupInfo Group, int Coordinator)>> DescribeGroupsAsync(IEnumerable<string[]> batches, Deadline deadline,
        FailureTally failures, Dictionary<string, GroupDetail> details, IReadOnlySet<string> listedAsDead)
    {
        var found = new List<(ConsumerGroupInfo Group, int Coordinator)>();
        void Unknown(string[] batch, string reason)
        {
            foreach (var groupId in batch)
            {
                failures.Add(groupId, reason);
                found.Add((new ConsumerGroupInfo(groupId, nameof(ConsumerGroupState.Unknown), MemberCount: null), -1));
            }
        }

        await BoundedFanOut.RunAsync(batches, settings.MaxConcurrentRequests, deadline, async batch =>
        {
            try
            {
                var result = await admin.DescribeConsumerGroupsAsync(batch, new DescribeConsumerGroupsOptions
                {
                    RequestTimeout = settings.AdminCallTimeout,
                }).ConfigureAwait(false);
                return result.ConsumerGroupDescriptions;
            }
            catch (DescribeConsumerGroupsException e)
            {
                return e.Results.ConsumerGroupDescriptions;
            }
            catch (KafkaException e)
            {
                return [.. batch.Select(id => new ConsumerGroupDescription { GroupId = id, Error = e.Error })];
            }
        },
        record: (_, descriptions) =>
        {
            foreach (var description in descriptions)
            {
                if (description.Error.Code == ErrorCode.GroupIdNotFound
                    || (!description.Error.IsError && description.State == ConsumerGroupState.Dead))
                {
                    if (listedAsDead.Contains(description.GroupId))
                    {
                        failures.Add(description.GroupId, "describe: classic DescribeGroups does not describe it (not a classic group) "
                            + "and the broker did not answer ConsumerGroupDescribe (Kafka before 4.0, or the API is disabled)");
                        found.Add((new ConsumerGroupInfo(description.GroupId, nameof(ConsumerGroupState.Unknown), MemberCount: null), -1));
                    }
                    continue;
                }
                if (description.Error.IsError)
                {
                    failures.Add(description.GroupId, "describe: " + health.DescribeCoordinatorFailure(description.Error));
                    found.Add((new ConsumerGroupInfo(description.GroupId, nameof(ConsumerGroupState.Unknown), MemberCount: null), -1));
                    continue;
                }
                found.Add((new ConsumerGroupInfo(description.GroupId, description.State.ToString(), description.Members.Count),
                    description.Coordinator?.Id ?? -1));
                details[description.GroupId] = GroupDetails.FromDescription(description, names.IncludesTopic);
            }
        },
        notStarted: batch => Unknown(batch, "describe: not started before the gather deadline"),
        unanswered: batch => Unknown(batch, "describe: no answer before the gather deadline")).ConfigureAwait(false);
        return found;
    }
}

/// <summary>What one group listing found, and which groups it still has to describe.</summary>
/// <param name="Listed">The listed groups by id, in listing order; recovery completes it in place.</param>
/// <param name="Details">What the descriptions said beyond state and members, by group id; recovery completes it in place.</param>
/// <param name="Missing">Groups known from earlier gathers that the listing did not return.</param>
/// <param name="Undescribed">Listed groups whose description failed (no member count).</param>
/// <param name="ListingFailure">Why the listing failed, when it did.</param>
internal sealed record ListedGroups(
    Dictionary<string, ConsumerGroupInfo> Listed,
    Dictionary<string, GroupDetail> Details,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Undescribed,
    string? ListingFailure)
{
    public bool NeedsRecovery => Missing.Count > 0 || Undescribed.Count > 0;

    /// <summary>The listed groups DescribeGroups called Dead: KIP-848 consumer-type groups (GroupListingReader.IsDescribed).</summary>
    public IReadOnlySet<string> ListedAsDead { get; init; } = new HashSet<string>();

    /// <summary>Every group whose committed offsets to fetch: the listed ones and the missing known ones.</summary>
    public IReadOnlyList<string> GroupIds => [.. Listed.Keys, .. Missing];

    /// <summary>The details of the groups that are still listed (a group deleted since it was listed has none).</summary>
    public IReadOnlyList<GroupDetail> DetailList => [.. Details.Values];
}
