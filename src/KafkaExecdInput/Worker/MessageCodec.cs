using System.Text;
using KafkaExecdInput.Configuration;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Snapshot;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Worker;

/// <summary>
/// Binary encoding of the messages between parent and worker. Both ends are the same executable,
/// so there is no versioning: compactness and speed matter more (a 50,000-partition cluster).
/// Repeated strings are grouped (offsets by topic) rather than repeated per partition.
/// </summary>
internal static class MessageCodec
{
    public static byte[] Encode(MessageKind kind, Action<BinaryWriter>? writeBody = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)kind);
            writeBody?.Invoke(writer);
        }
        return buffer.ToArray();
    }

    public static byte[] EncodeStart(ReaderSettings settings) => Encode(MessageKind.Start, w =>
    {
        w.Write7BitEncodedInt(settings.ClientProperties.Count);
        foreach (var (key, value) in settings.ClientProperties)
        {
            w.Write(key);
            w.Write(value);
        }
        WritePatterns(w, settings.Topics);
        WritePatterns(w, settings.Groups);
        w.Write(settings.RequestTimeout.Ticks);
        w.Write7BitEncodedInt(settings.MaxConcurrentRequests);
        WriteNullableString(w, settings.StaticOAuthToken);
        w.Write((byte)settings.LogLevel);
    });

    public static ReaderSettings DecodeStart(BinaryReader r)
    {
        var count = r.Read7BitEncodedInt();
        var properties = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = r.ReadString();
            properties[key] = r.ReadString();
        }
        return new ReaderSettings(
            properties,
            ReadPatterns(r),
            ReadPatterns(r),
            TimeSpan.FromTicks(r.ReadInt64()),
            r.Read7BitEncodedInt(),
            ReadNullableString(r),
            (LogLevel)r.ReadByte());
    }

    public static byte[] EncodeGather(GatherRequest request) => Encode(MessageKind.Gather, w =>
    {
        w.Write(request.GatherId);
        w.Write(request.Budget.Ticks);
        w.Write(request.WantMetadata);
        w.Write(request.WantGroups);
        w.Write(request.OffsetGroups is not null);
        if (request.OffsetGroups is not null)
        {
            WriteStrings(w, request.OffsetGroups);
        }
        w.Write(request.WantWatermarks);
        WriteStrings(w, request.KnownGroups);
    });

    public static GatherRequest DecodeGather(BinaryReader r)
    {
        var gatherId = r.ReadInt32();
        var budget = TimeSpan.FromTicks(r.ReadInt64());
        var wantMetadata = r.ReadBoolean();
        var wantGroups = r.ReadBoolean();
        var offsetGroups = r.ReadBoolean() ? ReadStrings(r) : null;
        var wantWatermarks = r.ReadBoolean();
        return new GatherRequest(gatherId, budget, wantMetadata, wantGroups, offsetGroups, wantWatermarks, ReadStrings(r));
    }

    public static byte[] EncodeFatal(WorkerFatal fatal) => Encode(MessageKind.Fatal, w =>
    {
        w.Write(fatal.Message);
        w.Write(fatal.IsConfigurationError);
    });

    public static WorkerFatal DecodeFatal(BinaryReader r) => new(r.ReadString(), r.ReadBoolean());

    public static byte[] EncodePart(GatherPart part) => part switch
    {
        MetadataPart p => Encode(MessageKind.Metadata, w => WriteMetadata(w, p.Metadata)),
        GroupsPart p => Encode(MessageKind.Groups, w => WriteGroups(w, p.Groups)),
        GroupOffsetsPart p => Encode(MessageKind.GroupOffsets, w => WriteGroupOffsets(w, p.Groups)),
        WatermarksPart p => Encode(MessageKind.Watermarks, w => WriteWatermarks(w, p.Partitions)),
        ErrorPart p => Encode(MessageKind.Error, w =>
        {
            w.Write(p.Error.Source);
            w.Write(p.Error.Message);
        }),
        GatherDonePart p => Encode(MessageKind.Done, w =>
        {
            w.Write(p.GatherId);
            w.Write(p.ReplaceWorker);
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part.GetType().Name, "not a gather part"),
    };

    /// <summary>Decodes a worker-to-parent message that belongs to a gather; null for other kinds.</summary>
    public static GatherPart? DecodePart(MessageKind kind, BinaryReader r) => kind switch
    {
        MessageKind.Metadata => new MetadataPart(ReadMetadata(r)),
        MessageKind.Groups => new GroupsPart(ReadGroups(r)),
        MessageKind.GroupOffsets => new GroupOffsetsPart(ReadGroupOffsets(r)),
        MessageKind.Watermarks => new WatermarksPart(ReadWatermarks(r)),
        MessageKind.Error => new ErrorPart(new GatherError(r.ReadString(), r.ReadString())),
        MessageKind.Done => new GatherDonePart(r.ReadInt32(), r.ReadBoolean()),
        _ => null,
    };

    private static void WriteMetadata(BinaryWriter w, ClusterMetadata metadata)
    {
        w.Write7BitEncodedInt(metadata.Brokers.Count);
        foreach (var broker in metadata.Brokers)
        {
            w.Write(broker.Id);
            w.Write(broker.Host);
            w.Write(broker.Port);
        }
        w.Write7BitEncodedInt(metadata.Topics.Count);
        foreach (var topic in metadata.Topics)
        {
            w.Write(topic.Name);
            w.Write7BitEncodedInt(topic.Partitions.Count);
            foreach (var partition in topic.Partitions)
            {
                w.Write(partition.Id);
                w.Write(partition.Leader);
                WriteInts(w, partition.Replicas);
                WriteInts(w, partition.InSyncReplicas);
            }
        }
    }

    private static ClusterMetadata ReadMetadata(BinaryReader r)
    {
        var brokers = new BrokerInfo[r.Read7BitEncodedInt()];
        for (var i = 0; i < brokers.Length; i++)
        {
            brokers[i] = new BrokerInfo(r.ReadInt32(), r.ReadString(), r.ReadInt32());
        }
        var topics = new TopicInfo[r.Read7BitEncodedInt()];
        for (var i = 0; i < topics.Length; i++)
        {
            var name = r.ReadString();
            var partitions = new PartitionInfo[r.Read7BitEncodedInt()];
            for (var p = 0; p < partitions.Length; p++)
            {
                partitions[p] = new PartitionInfo(r.ReadInt32(), r.ReadInt32(), ReadInts(r), ReadInts(r));
            }
            topics[i] = new TopicInfo(name, partitions);
        }
        return new ClusterMetadata(brokers, topics);
    }

    private static void WriteGroups(BinaryWriter w, IReadOnlyList<GroupListing> groups)
    {
        w.Write7BitEncodedInt(groups.Count);
        foreach (var group in groups)
        {
            w.Write(group.GroupId);
            w.Write(group.State);
            w.Write(group.MemberCount ?? -1);
        }
    }

    private static GroupListing[] ReadGroups(BinaryReader r)
    {
        var groups = new GroupListing[r.Read7BitEncodedInt()];
        for (var i = 0; i < groups.Length; i++)
        {
            var groupId = r.ReadString();
            var state = r.ReadString();
            var members = r.ReadInt32();
            groups[i] = new GroupListing(groupId, state, members < 0 ? null : members);
        }
        return groups;
    }

    private static void WriteGroupOffsets(BinaryWriter w, IReadOnlyList<GroupOffsets> groups)
    {
        w.Write7BitEncodedInt(groups.Count);
        foreach (var group in groups)
        {
            w.Write(group.GroupId);
            // Offsets arrive sorted by nothing in particular; grouping by topic writes each name once.
            var byTopic = group.Offsets.GroupBy(o => o.Topic, StringComparer.Ordinal).ToList();
            w.Write7BitEncodedInt(byTopic.Count);
            foreach (var topic in byTopic)
            {
                w.Write(topic.Key);
                w.Write7BitEncodedInt(topic.Count());
                foreach (var offset in topic)
                {
                    w.Write7BitEncodedInt(offset.Partition);
                    w.Write7BitEncodedInt64(offset.Offset);
                }
            }
        }
    }

    private static GroupOffsets[] ReadGroupOffsets(BinaryReader r)
    {
        var groups = new GroupOffsets[r.Read7BitEncodedInt()];
        for (var i = 0; i < groups.Length; i++)
        {
            var groupId = r.ReadString();
            var offsets = new List<CommittedOffset>();
            var topicCount = r.Read7BitEncodedInt();
            for (var t = 0; t < topicCount; t++)
            {
                var topic = r.ReadString();
                var partitionCount = r.Read7BitEncodedInt();
                for (var p = 0; p < partitionCount; p++)
                {
                    offsets.Add(new CommittedOffset(topic, r.Read7BitEncodedInt(), r.Read7BitEncodedInt64()));
                }
            }
            groups[i] = new GroupOffsets(groupId, offsets);
        }
        return groups;
    }

    private static void WriteWatermarks(BinaryWriter w, IReadOnlyList<PartitionWatermarks> partitions)
    {
        w.Write7BitEncodedInt(partitions.Count);
        string? previousTopic = null;
        foreach (var partition in partitions)
        {
            // Partitions of one topic come together; the name is written only when it changes.
            var sameTopic = string.Equals(partition.Topic, previousTopic, StringComparison.Ordinal);
            w.Write(sameTopic);
            if (!sameTopic)
            {
                w.Write(partition.Topic);
                previousTopic = partition.Topic;
            }
            w.Write7BitEncodedInt(partition.Partition);
            w.Write(partition.Earliest ?? -1);
            w.Write(partition.Latest ?? -1);
        }
    }

    private static PartitionWatermarks[] ReadWatermarks(BinaryReader r)
    {
        var partitions = new PartitionWatermarks[r.Read7BitEncodedInt()];
        var topic = "";
        for (var i = 0; i < partitions.Length; i++)
        {
            if (!r.ReadBoolean())
            {
                topic = r.ReadString();
            }
            var partition = r.Read7BitEncodedInt();
            var earliest = r.ReadInt64();
            var latest = r.ReadInt64();
            partitions[i] = new PartitionWatermarks(topic, partition, earliest < 0 ? null : earliest, latest < 0 ? null : latest);
        }
        return partitions;
    }

    /// <summary>Filters travel as the patterns the user wrote; the worker compiles its own.</summary>
    private static void WritePatterns(BinaryWriter w, NameFilter filter)
    {
        WriteStrings(w, filter.Include);
        WriteStrings(w, filter.Exclude);
    }

    private static NameFilter ReadPatterns(BinaryReader r) => NameFilter.FromPatterns(ReadStrings(r), ReadStrings(r));

    private static void WriteStrings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static string[] ReadStrings(BinaryReader r)
    {
        var values = new string[r.Read7BitEncodedInt()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadString();
        }
        return values;
    }

    private static void WriteInts(BinaryWriter w, IReadOnlyList<int> values)
    {
        w.Write7BitEncodedInt(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private static int[] ReadInts(BinaryReader r)
    {
        var values = new int[r.Read7BitEncodedInt()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadInt32();
        }
        return values;
    }

    private static void WriteNullableString(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? ReadNullableString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
