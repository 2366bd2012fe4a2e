using System.Buffers;
using System.Text;

namespace KafkaExecdInput.History;

/// <summary>
/// The persisted form of a <see cref="GatherHistory"/> (the state file's payload, History/HistoryStateFile.cs):
/// compact binary, every number a LEB128 varint, signed ones zigzag-encoded.
/// </summary>
/// <remarks>
/// <para>Layout, in order: the format version; a string table (each distinct group id and topic once);
/// a time table (each distinct time, ascending, as differences); the known groups; then the groups,
/// partitions and group-partitions, each entry as its key (string and time references into the
/// tables), its first and last sighting, and its ring: capacity, count, and each point as its
/// difference to the previous one.</para>
/// <para>Why tables: at L (150,000 group-partitions of 10 commits, 50,000 partitions of 60 latest
/// offsets) the version-1 JSON spent most of its 100 MB on repeated names and on times, yet every
/// time in a history is a gather's observation time, so a few hundred distinct values serve millions
/// of points, and a point's time is the small step to the next table entry.</para>
/// <para>Reading validates every count, reference and range before it allocates or adds, and throws
/// <see cref="InvalidDataException"/> on the first violation; nothing is returned half-read.</para>
/// </remarks>
internal static class HistoryFileFormat
{
    /// <summary>Raised when this layout changes incompatibly; version 1 was JSON.</summary>
    public const int Version = 2;

    /// <summary>Rings are small (60 points at most today); a larger capacity is not a file this plugin wrote.</summary>
    private const int MaxCapacity = 10_000;

    public static void Write(GatherHistory history, IBufferWriter<byte> output)
    {
        var writer = new VarintWriter(output);
        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var distinctTimes = new HashSet<long>();
        CollectTables(history, strings, distinctTimes);
        var times = distinctTimes.Order().ToArray();
        var timeIds = new Dictionary<long, int>(times.Length);

        writer.Unsigned(Version);
        writer.Unsigned(strings.Count);
        foreach (var text in strings.OrderBy(s => s.Value).Select(s => s.Key))
        {
            writer.Text(text);
        }
        writer.Unsigned(times.Length);
        var previousTicks = 0L;
        foreach (var ticks in times)
        {
            timeIds[ticks] = timeIds.Count;
            writer.Unsigned(ticks - previousTicks);
            previousTicks = ticks;
        }

        writer.Unsigned(history.KnownGroups.Count);
        foreach (var group in history.KnownGroups)
        {
            writer.Unsigned(strings[group]);
        }

        writer.Unsigned(history.Groups.Count);
        foreach (var entry in history.Groups.Entries)
        {
            writer.Unsigned(strings[entry.Key]);
            WriteSightings(ref writer, entry.FirstSeen, entry.LastSeen, timeIds);
        }

        writer.Unsigned(history.Partitions.Count);
        foreach (var entry in history.Partitions.Entries)
        {
            writer.Unsigned(strings[entry.Key.Topic]);
            writer.Unsigned(entry.Key.Partition);
            WriteSightings(ref writer, entry.FirstSeen, entry.LastSeen, timeIds);
            var ring = entry.State.LatestOffsets;
            writer.Unsigned(ring.Capacity);
            writer.Unsigned(ring.Count);
            long offset = 0, time = 0;
            for (var i = 0; i < ring.Count; i++)
            {
                var point = ring[i];
                var id = timeIds[point.At.UtcTicks];
                writer.Signed(point.Offset - offset);
                writer.Signed(id - time);
                (offset, time) = (point.Offset, id);
            }
        }

        writer.Unsigned(history.GroupPartitions.Count);
        foreach (var entry in history.GroupPartitions.Entries)
        {
            writer.Unsigned(strings[entry.Key.GroupId]);
            writer.Unsigned(strings[entry.Key.Topic]);
            writer.Unsigned(entry.Key.Partition);
            WriteSightings(ref writer, entry.FirstSeen, entry.LastSeen, timeIds);
            var window = entry.State.Commits;
            writer.Unsigned(window.Capacity);
            writer.Unsigned(window.Count);
            long offset = 0, time = 0, lag = 0;
            for (var i = 0; i < window.Count; i++)
            {
                var observation = window[i];
                var id = timeIds[observation.At.UtcTicks];
                writer.Signed(observation.Offset - offset);
                writer.Signed(id - time);
                writer.Signed(observation.Lag - lag);
                (offset, time, lag) = (observation.Offset, id, observation.Lag);
            }
        }
        writer.Flush();
    }

    /// <summary>The history <paramref name="payload"/> holds, or <see cref="InvalidDataException"/> saying what is wrong with it.</summary>
    public static GatherHistory Read(ReadOnlySpan<byte> payload, TimeProvider time, TimeSpan? retention, LagStatusSettings? lagStatus)
    {
        var reader = new VarintReader(payload);
        var version = reader.Unsigned(int.MaxValue);
        if (version != Version)
        {
            throw new InvalidDataException($"history format version {version}, this plugin reads {Version}");
        }

        var strings = new string[reader.Count()];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = reader.Text();
        }
        var times = new DateTimeOffset[reader.Count()];
        var ticks = 0L;
        for (var i = 0; i < times.Length; i++)
        {
            ticks += reader.Unsigned(DateTimeOffset.MaxValue.UtcTicks - ticks);
            times[i] = new DateTimeOffset(ticks, TimeSpan.Zero);
        }

        var knownGroups = new string[reader.Count()];
        for (var i = 0; i < knownGroups.Length; i++)
        {
            knownGroups[i] = strings[reader.Index(strings.Length)];
        }
        var history = new GatherHistory(time, retention) { LagStatus = lagStatus };
        history.RestoreKnownGroups(knownGroups);

        for (var count = reader.Count(); count > 0; count--)
        {
            var key = strings[reader.Index(strings.Length)];
            var (first, last) = ReadSightings(ref reader, times);
            history.Groups.Add(new HistoryEntry<string, GroupHistory>(key, first, last, new GroupHistory()));
        }

        for (var count = reader.Count(); count > 0; count--)
        {
            var key = new TopicPartitionKey(strings[reader.Index(strings.Length)], reader.Partition());
            var (first, last) = ReadSightings(ref reader, times);
            var ring = new OffsetRing(reader.Capacity(minimum: 1));
            var points = reader.Index(ring.Capacity + 1);
            long offset = 0, timeId = 0;
            for (var i = 0; i < points; i++)
            {
                offset += reader.Signed();
                timeId += reader.Signed();
                ring.Add(offset, TimeAt(times, timeId));
            }
            history.Partitions.Add(new HistoryEntry<TopicPartitionKey, PartitionHistory>(key, first, last, new PartitionHistory { LatestOffsets = ring }));
        }

        for (var count = reader.Count(); count > 0; count--)
        {
            var key = new GroupPartitionKey(strings[reader.Index(strings.Length)], strings[reader.Index(strings.Length)], reader.Partition());
            var (first, last) = ReadSightings(ref reader, times);
            var window = new CommitWindow(reader.Capacity(minimum: 2));
            var observations = reader.Index(window.Capacity + 1);
            long offset = 0, timeId = 0, lag = 0;
            for (var i = 0; i < observations; i++)
            {
                offset += reader.Signed();
                timeId += reader.Signed();
                lag += reader.Signed();
                if (lag < 0)
                {
                    throw new InvalidDataException("a negative lag in a commit window");
                }
                window.Add(offset, TimeAt(times, timeId), lag);
            }
            history.GroupPartitions.Add(new HistoryEntry<GroupPartitionKey, GroupPartitionHistory>(key, first, last, new GroupPartitionHistory { Commits = window }));
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("bytes after the history's end");
        }
        return history;
    }

    private static void CollectTables(GatherHistory history, Dictionary<string, int> strings, HashSet<long> times)
    {
        void Text(string text) => strings.TryAdd(text, strings.Count);
        foreach (var group in history.KnownGroups)
        {
            Text(group);
        }
        foreach (var entry in history.Groups.Entries)
        {
            Text(entry.Key);
            (_, _) = (times.Add(entry.FirstSeen.UtcTicks), times.Add(entry.LastSeen.UtcTicks));
        }
        foreach (var entry in history.Partitions.Entries)
        {
            Text(entry.Key.Topic);
            (_, _) = (times.Add(entry.FirstSeen.UtcTicks), times.Add(entry.LastSeen.UtcTicks));
            var ring = entry.State.LatestOffsets;
            for (var i = 0; i < ring.Count; i++)
            {
                times.Add(ring[i].At.UtcTicks);
            }
        }
        foreach (var entry in history.GroupPartitions.Entries)
        {
            Text(entry.Key.GroupId);
            Text(entry.Key.Topic);
            (_, _) = (times.Add(entry.FirstSeen.UtcTicks), times.Add(entry.LastSeen.UtcTicks));
            var window = entry.State.Commits;
            for (var i = 0; i < window.Count; i++)
            {
                times.Add(window[i].At.UtcTicks);
            }
        }
    }

    private static void WriteSightings(ref VarintWriter writer, DateTimeOffset first, DateTimeOffset last, Dictionary<long, int> timeIds)
    {
        writer.Unsigned(timeIds[first.UtcTicks]);
        writer.Unsigned(timeIds[last.UtcTicks]);
    }

    private static (DateTimeOffset First, DateTimeOffset Last) ReadSightings(ref VarintReader reader, DateTimeOffset[] times) =>
        (times[reader.Index(times.Length)], times[reader.Index(times.Length)]);

    private static DateTimeOffset TimeAt(DateTimeOffset[] times, long id) =>
        id >= 0 && id < times.Length ? times[id] : throw new InvalidDataException("a ring point's time is not in the time table");

    /// <summary>Varints into a buffer writer, a span at a time.</summary>
    private ref struct VarintWriter(IBufferWriter<byte> output)
    {
        private const int MaxVarintBytes = 10;
        private Span<byte> _span;
        private int _used;

        public void Unsigned(long value) => Raw((ulong)value);

        public void Signed(long value) => Raw((ulong)((value << 1) ^ (value >> 63)));

        public void Text(string text)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            Unsigned(length);
            Flush();
            Encoding.UTF8.GetBytes(text, output.GetSpan(length));
            output.Advance(length);
        }

        public void Flush()
        {
            output.Advance(_used);
            _span = default;
            _used = 0;
        }

        private void Raw(ulong value)
        {
            if (_span.Length - _used < MaxVarintBytes)
            {
                Flush();
                _span = output.GetSpan(4096);
            }
            while (value >= 0x80)
            {
                _span[_used++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _span[_used++] = (byte)value;
        }
    }

    /// <summary>Varints out of a span; anything short, too long or out of range is <see cref="InvalidDataException"/>.</summary>
    private ref struct VarintReader(ReadOnlySpan<byte> payload)
    {
        private readonly ReadOnlySpan<byte> _payload = payload;
        private int _position;

        public readonly bool AtEnd => _position == _payload.Length;

        /// <summary>A count of items each at least one byte long: never more than the bytes left, so a corrupt count allocates nothing large.</summary>
        public int Count()
        {
            var value = Raw();
            var left = _payload.Length - _position;
            return value <= (ulong)left ? (int)value : throw new InvalidDataException($"a count of {value} with {left} bytes left");
        }

        /// <summary>A reference into a table of <paramref name="length"/>.</summary>
        public int Index(int length) =>
            length > 0 ? (int)Unsigned(length - 1) : throw new InvalidDataException("a reference into an empty table");

        public int Partition() => (int)Unsigned(int.MaxValue);

        public int Capacity(int minimum)
        {
            var capacity = (int)Unsigned(MaxCapacity);
            return capacity >= minimum ? capacity : throw new InvalidDataException($"a ring capacity of {capacity}");
        }

        public long Unsigned(long maximum)
        {
            var value = Raw();
            return value <= (ulong)maximum ? (long)value : throw new InvalidDataException($"a value of {value} where at most {maximum} fits");
        }

        public long Signed()
        {
            var value = Raw();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        public string Text()
        {
            var length = Count();
            var text = Encoding.UTF8.GetString(_payload.Slice(_position, length));
            _position += length;
            return text;
        }

        private ulong Raw()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position == _payload.Length)
                {
                    throw new InvalidDataException("the history is cut short");
                }
                var next = _payload[_position++];
                value |= (ulong)(next & 0x7F) << shift;
                if (next < 0x80)
                {
                    return value;
                }
            }
            throw new InvalidDataException("a number longer than 64 bits");
        }
    }
}
