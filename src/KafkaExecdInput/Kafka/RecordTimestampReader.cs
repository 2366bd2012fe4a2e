using Confluent.Kafka;
using KafkaExecdInput.WorkerProtocol;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Kafka;

/// <summary>
/// The exact mode of lag in seconds (<c>lag_seconds_exact</c>): reads the record each lagging group
/// will read next, for its timestamp. One librdkafka consumer for the worker's life, never in a group
/// (assign only, nothing committed): it assigns every position of a round at once, so librdkafka asks
/// each leader for all of them in one Fetch with a small per-partition size, takes the first record of
/// each partition and pauses it. A partition that several groups lag on at different offsets needs one
/// round per distinct offset, at most <see cref="MaxRounds"/>.
/// </summary>
internal sealed class RecordTimestampReader(ReaderSettings settings, ILogger logger) : IDisposable
{
    /// <summary>
    /// Bytes asked per partition. A record's timestamp needs its batch, and the client decodes every record
    /// of what it gets, so this bounds both the bytes and the worker's CPU per lagging partition (measured
    /// with the lagseconds benchmark: 16 KiB cost about 8 KB and 500 decoded records per partition). A
    /// batch larger than this comes back cut short, and librdkafka asks again with twice the size.
    /// </summary>
    internal const int PartitionFetchBytes = 4 * 1024;

    /// <summary>Distinct offsets read per partition in one gather; more groups at other offsets keep their history estimate.</summary>
    internal const int MaxRounds = 8;

    /// <summary>How long one Consume waits before the deadline is checked again.</summary>
    private static readonly TimeSpan PollStep = TimeSpan.FromMilliseconds(100);

    private IConsumer<Ignore, Ignore>? _consumer;

    /// <summary>Reads the record at each position and sends them as one part; what was not read is reported.</summary>
    public async Task ReadAsync(IReadOnlyCollection<(string Topic, int Partition, long Offset)> positions, Deadline deadline, IGatherSink sink)
    {
        if (positions.Count == 0)
        {
            return;
        }
        var failures = new FailureTally("lag_seconds_exact", "record at the committed offset on partition");
        var records = await Task.Run(() => Read(positions, deadline, failures)).ConfigureAwait(false);
        if (records.Count > 0)
        {
            await sink.SendAsync(new RecordTimestampsPart(records)).ConfigureAwait(false);
        }
        await sink.SendErrorsAsync(failures).ConfigureAwait(false);
    }

    private List<RecordTimestamp> Read(IReadOnlyCollection<(string Topic, int Partition, long Offset)> positions, Deadline deadline, FailureTally failures)
    {
        var records = new List<RecordTimestamp>(positions.Count);
        var rounds = positions
            .GroupBy(p => new TopicPartition(p.Topic, p.Partition))
            .SelectMany(byPartition => byPartition.Select(p => p.Offset).Distinct().Order().Select((offset, round) => (Round: round, Position: new TopicPartitionOffset(byPartition.Key, offset))))
            .GroupBy(p => p.Round)
            .OrderBy(r => r.Key)
            .ToList();
        try
        {
            var consumer = _consumer ??= Create();
            foreach (var round in rounds)
            {
                var wanted = round.Select(r => r.Position).ToList();
                if (round.Key >= MaxRounds || deadline.Expired)
                {
                    foreach (var position in wanted)
                    {
                        failures.Add(Name(position.TopicPartition), round.Key >= MaxRounds
                            ? $"more than {MaxRounds} groups at different offsets; the rest keep the history estimate"
                            : "not read before the gather deadline");
                    }
                    continue;
                }
                ReadRound(consumer, wanted, deadline, records, failures);
            }
        }
        catch (KafkaException e)
        {
            failures.Add("(all)", $"the record reader failed: {KafkaErrors.Describe(e.Error)}");
        }
        return records;
    }

    private static void ReadRound(IConsumer<Ignore, Ignore> consumer, List<TopicPartitionOffset> wanted, Deadline deadline,
        List<RecordTimestamp> records, FailureTally failures)
    {
        var pending = wanted.ToDictionary(p => p.TopicPartition, p => p.Offset.Value);
        var paused = new List<TopicPartition>(wanted.Count);
        consumer.Assign(wanted);
        try
        {
            while (pending.Count > 0 && !deadline.Expired)
            {
                ConsumeResult<Ignore, Ignore>? result;
                try
                {
                    result = consumer.Consume(deadline.Remaining < PollStep ? deadline.Remaining : PollStep);
                }
                catch (ConsumeException e)
                {
                    if (e.ConsumerRecord?.TopicPartition is { } failed && pending.Remove(failed))
                    {
                        failures.Add(Name(failed), KafkaErrors.Describe(e.Error));
                        consumer.Pause([failed]);
                        paused.Add(failed);
                    }
                    continue;
                }
                if (result is null || !pending.TryGetValue(result.TopicPartition, out var offset))
                {
                    continue;
                }
                pending.Remove(result.TopicPartition);
                consumer.Pause([result.TopicPartition]);
                paused.Add(result.TopicPartition);
                if (result.IsPartitionEOF)
                {
                    continue; // consumed up to the end since the offsets were read: nothing to wait for
                }
                var timestamp = result.Message.Timestamp;
                if (timestamp.Type == TimestampType.NotAvailable)
                {
                    failures.Add(Name(result.TopicPartition), "the record has no timestamp");
                    continue;
                }
                records.Add(new RecordTimestamp(result.Topic, result.Partition.Value, offset, result.Offset.Value,
                    timestamp.UnixTimestampMs, timestamp.Type == TimestampType.LogAppendTime));
            }
            foreach (var partition in pending.Keys)
            {
                failures.Add(Name(partition), "not read before the gather deadline");
            }
        }
        finally
        {
            // librdkafka keeps a partition's pause across assignments: the next round must start it unpaused.
            consumer.Resume(paused);
            consumer.Unassign();
        }
    }

    private static string Name(TopicPartition partition) => $"{partition.Topic}/{partition.Partition.Value}";

    private IConsumer<Ignore, Ignore> Create()
    {
        var properties = new Dictionary<string, string>(settings.ClientProperties, StringComparer.Ordinal)
        {
            // Assign-only: never joins a group, never commits, so it cannot disturb any group it measures.
            ["group.id"] = "kafka-execd-input-record-timestamps",
            ["enable.auto.commit"] = "false",
            ["enable.auto.offset.store"] = "false",
            // Below the earliest offset the next record a consumer can read is the earliest one.
            ["auto.offset.reset"] = "earliest",
            ["enable.partition.eof"] = "true",
            ["max.partition.fetch.bytes"] = PartitionFetchBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fetch.wait.max.ms"] = "10",
            ["queued.min.messages"] = "1",
            ["queued.max.messages.kbytes"] = "1024",
            ["log.connection.close"] = "false",
        };
        return new ConsumerBuilder<Ignore, Ignore>(properties)
            .SetLogHandler((_, message) => logger.Log(LogLevel.Trace, "librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .SetErrorHandler((_, error) => logger.LogDebug("record reader: {Error}", KafkaErrors.Describe(error)))
            .Build();
    }

    public void Dispose() => _consumer?.Dispose();
}

/// <summary>
/// Passes every part on and keeps the committed offsets and watermarks it saw, so that the exact mode
/// knows which group-partitions lag once both have been sent.
/// </summary>
internal sealed class LaggingPositionsSink(IGatherSink inner) : IGatherSink
{
    private readonly List<GroupOffsets> _offsets = [];
    private readonly Lock _lock = new();
    private WatermarkTable? _watermarks;

    public async Task SendAsync(GatherPart part)
    {
        lock (_lock)
        {
            if (part is GroupOffsetsPart offsets)
            {
                _offsets.AddRange(offsets.Groups);
            }
            else if (part is WatermarksPart watermarks && _watermarks is null)
            {
                _watermarks = watermarks.Watermarks;
            }
            else if (part is WatermarksPart more)
            {
                // A shard's second pass (GatherReader.ReadShardWatermarksAsync): its partitions join the
                // first's, in a copy (the first table was sent on and is not this sink's to change).
                var joined = new WatermarkTable(_watermarks!.Count + more.Watermarks.Count);
                foreach (var table in (ReadOnlySpan<WatermarkTable>)[_watermarks, more.Watermarks])
                {
                    foreach (var ((topic, _), entry) in table.Entries)
                    {
                        joined.Set(topic, entry);
                    }
                }
                _watermarks = joined;
            }
        }
        await inner.SendAsync(part).ConfigureAwait(false);
    }

    public Task ReportAsync(GatherError error) => inner.ReportAsync(error);

    /// <summary>Distinct (topic, partition, committed offset) below the latest offset; read after both parts were sent.</summary>
    public HashSet<(string Topic, int Partition, long Offset)> Lagging()
    {
        var lagging = new HashSet<(string, int, long)>();
        lock (_lock)
        {
            if (_watermarks is null)
            {
                return lagging;
            }
            foreach (var group in _offsets)
            {
                foreach (var committed in group.Offsets)
                {
                    if (_watermarks.Get(committed.Topic, committed.Partition).Latest is { } latest && committed.Offset < latest)
                    {
                        lagging.Add((committed.Topic, committed.Partition, committed.Offset));
                    }
                }
            }
        }
        return lagging;
    }
}
