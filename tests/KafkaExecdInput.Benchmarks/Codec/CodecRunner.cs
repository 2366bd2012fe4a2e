using System.Buffers;
using System.Diagnostics;
using KafkaExecdInput.Benchmarks.Gather;
using KafkaExecdInput.Benchmarks.Micro;
using KafkaExecdInput.Kafka;
using KafkaExecdInput.Snapshot;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.Benchmarks.Codec;

/// <summary>
/// The <c>codec</c> command: the worker contract's cost per gather, in process and without Kafka. A gather's parts
/// are built as the worker sends them (one metadata part, one groups part, committed offsets in parts of
/// <see cref="CommittedOffsetsReader.GroupsPerPart"/> groups, one watermarks part) from the gather benchmark's cluster
/// shape, then encoded as the worker does and decoded and assembled as the parent does, many times over.
/// Prints frame bytes, and the median time and allocation of encoding, decoding and assembling one gather.
/// </summary>
internal static class CodecRunner
{
    public const string Mode = "codec";

    private const int Warmups = 5;
    private const int Rounds = 15;

    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args[0].Split(',').Select(BenchSize.Parse).ToList() : [BenchSize.M, BenchSize.L];
        Console.WriteLine($"protocol version {MessageCodec.ProtocolVersion}, median of {Rounds} gathers after {Warmups} warm-ups");
        Console.WriteLine();
        Console.WriteLine("| size | frames | bytes per gather | encode ms | encode alloc MB | decode ms | decode alloc MB | decode+assemble alloc MB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var size in sizes)
        {
            var parts = PartsOf(SnapshotFactory.Create(size));
            var frames = parts.Select(Encode).ToList();
            var bytes = frames.Sum(f => f.Length);

            var buffer = new ArrayBufferWriter<byte>(); // one for the life of the worker, as FrameStream keeps it
            var encode = Measure(() =>
            {
                foreach (var part in parts)
                {
                    buffer.ResetWrittenCount();
                    MessageCodec.Write(buffer, part);
                }
            });
            var decode = Measure(() =>
            {
                foreach (var frame in frames)
                {
                    MessageCodec.ReadWorkerMessage(frame);
                }
            });
            var assemble = Measure(() =>
            {
                var assembler = new SnapshotAssembler();
                foreach (var frame in frames)
                {
                    assembler.Add((GatherPart)MessageCodec.ReadWorkerMessage(frame));
                }
                GC.KeepAlive(assembler.Build());
            });
            Console.WriteLine(FormattableString.Invariant(
                $"| {size.Name} | {frames.Count} | {bytes / 1e6:F2} MB | {encode.Ms:F1} | {encode.Mb:F2} | {decode.Ms:F1} | {decode.Mb:F2} | {assemble.Mb:F2} |"));
        }
        return 0;
    }

    private static List<GatherPart> PartsOf(ClusterSnapshot snapshot)
    {
        var groups = snapshot.Groups!;
        var parts = new List<GatherPart>
        {
            new MetadataPart(snapshot.Metadata!),
            new GroupsPart([.. groups.Select(g => g with { CommittedOffsets = null })]),
        };
        parts.AddRange(groups.Chunk(CommittedOffsetsReader.GroupsPerPart)
            .Select(batch => new GroupOffsetsPart([.. batch.Select(g => GroupOffsets.From(g.GroupId, g.CommittedOffsets!))])));
        parts.Add(new WatermarksPart(snapshot.Watermarks!));
        return parts;
    }

    private static byte[] Encode(GatherPart part)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessageCodec.Write(buffer, part);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Median wall time and allocation of <paramref name="gather"/> on this thread.</summary>
    private static (double Ms, double Mb) Measure(Action gather)
    {
        var times = new List<double>();
        var allocations = new List<double>();
        for (var i = 0; i < Warmups + Rounds; i++)
        {
            GC.Collect();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            gather();
            clock.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (i >= Warmups)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                allocations.Add(allocated / 1e6);
            }
        }
        return (Median(times), Median(allocations));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
