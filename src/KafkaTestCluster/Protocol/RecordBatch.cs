using System.Buffers.Binary;

namespace KafkaTestCluster.Protocol;

/// <summary>
/// What the cluster needs from a produced record batch (magic v2): record count, timestamps and an intact
/// CRC-32C. Records are not stored, only counted and timed, so the high watermark and ListOffsets by
/// timestamp behave as on a broker.
/// </summary>
internal readonly record struct RecordBatchInfo(int RecordCount, long FirstTimestamp, long MaxTimestamp, long[]? RecordTimestamps, int Start, int SizeInBytes);

internal static class RecordBatch
{
    private const int HeaderSize = 61;
    private const int CrcOffset = 17;
    private const int AttributesOffset = 21;

    /// <summary>
    /// Splits a produce partition's records into batches and validates each. Returns an error code
    /// (CORRUPT_MESSAGE for bad framing or CRC, UNSUPPORTED_FOR_MESSAGE_FORMAT for magic below 2).
    /// </summary>
    public static short Parse(ReadOnlySpan<byte> records, List<RecordBatchInfo> batches)
    {
        batches.Clear();
        if (records.IsEmpty)
        {
            return ErrorCodes.CorruptMessage;
        }

        var start = 0;
        while (!records.IsEmpty)
        {
            if (records.Length < HeaderSize)
            {
                return ErrorCodes.CorruptMessage;
            }

            var batchLength = BinaryPrimitives.ReadInt32BigEndian(records[8..]);
            var total = 12L + batchLength;
            if (batchLength < HeaderSize - 12 || total > records.Length)
            {
                return ErrorCodes.CorruptMessage;
            }

            var batch = records[..(int)total];
            records = records[(int)total..];
            if (batch[16] != 2)
            {
                return ErrorCodes.UnsupportedForMessageFormat;
            }

            var crc = BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);
            if (Crc32C.Compute(batch[AttributesOffset..]) != crc)
            {
                return ErrorCodes.CorruptMessage;
            }

            var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[AttributesOffset..]);
            var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[23..]);
            var firstTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[27..]);
            var maxTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[35..]);
            var count = BinaryPrimitives.ReadInt32BigEndian(batch[57..]);
            if (count <= 0 || lastOffsetDelta != count - 1)
            {
                return ErrorCodes.CorruptMessage;
            }

            var compressed = (attributes & 0x7) != 0;
            var timestamps = compressed ? null : ReadTimestamps(batch[HeaderSize..], count, firstTimestamp);
            batches.Add(new RecordBatchInfo(count, firstTimestamp, maxTimestamp, timestamps, start, batch.Length));
            start += batch.Length;
        }

        return ErrorCodes.None;
    }

    /// <summary>
    /// A stored copy of a produced batch, its base offset set to the offset it was appended at (outside the
    /// CRC). With a log-append time, the batch is stamped as a broker stamps it: timestamp-type bit set, max
    /// timestamp replaced, CRC recomputed.
    /// </summary>
    public static byte[] CopyAt(ReadOnlySpan<byte> batch, long baseOffset, long logAppendTime = -1)
    {
        var copy = batch.ToArray();
        BinaryPrimitives.WriteInt64BigEndian(copy, baseOffset);
        if (logAppendTime >= 0)
        {
            var attributes = BinaryPrimitives.ReadInt16BigEndian(copy.AsSpan(AttributesOffset));
            BinaryPrimitives.WriteInt16BigEndian(copy.AsSpan(AttributesOffset), (short)(attributes | 0x08));
            BinaryPrimitives.WriteInt64BigEndian(copy.AsSpan(35), logAppendTime);
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(CrcOffset), Crc32C.Compute(copy.AsSpan(AttributesOffset)));
        }

        return copy;
    }

    /// <summary>
    /// Writes one uncompressed batch of <paramref name="count"/> records with null key and value, for offsets
    /// that exist only through the state API, so consumers can read through them.
    /// </summary>
    public static void WriteSynthetic(KafkaWriter writer, long baseOffset, int count, Func<long, long> timestampOf)
    {
        var start = writer.Length;
        var first = timestampOf(baseOffset);
        var max = first;
        writer.WriteInt64(baseOffset);
        var lengthAt = writer.Reserve(4);
        writer.WriteInt32(-1); // partition leader epoch
        writer.WriteInt8(2); // magic
        var crcAt = writer.Reserve(4);
        writer.WriteInt16(0); // attributes: no compression, create time
        writer.WriteInt32(count - 1);
        writer.WriteInt64(first);
        var maxAt = writer.Reserve(8);
        writer.WriteInt64(-1); // producer id
        writer.WriteInt16(-1); // producer epoch
        writer.WriteInt32(-1); // base sequence
        writer.WriteInt32(count);
        for (var i = 0; i < count; i++)
        {
            var timestamp = timestampOf(baseOffset + i);
            max = Math.Max(max, timestamp);
            var delta = timestamp - first;
            // attributes, timestamp delta, offset delta, key -1, value -1, no headers
            var bodyLength = 1 + VarlongSize(delta) + VarlongSize(i) + 1 + 1 + 1;
            writer.WriteVarint(bodyLength);
            writer.WriteInt8(0);
            writer.WriteVarlong(delta);
            writer.WriteVarint(i);
            writer.WriteVarint(-1);
            writer.WriteVarint(-1);
            writer.WriteVarint(0);
        }

        writer.PatchInt64(maxAt, max);
        writer.PatchInt32(lengthAt, writer.Length - start - 12);
        writer.PatchInt32(crcAt, unchecked((int)Crc32C.Compute(writer.WrittenSpan[(start + AttributesOffset)..])));
    }

    private static int VarlongSize(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var size = 1;
        while (raw >= 0x80)
        {
            raw >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Per-record timestamps of an uncompressed batch; null if the records do not parse.</summary>
    private static long[]? ReadTimestamps(ReadOnlySpan<byte> records, int count, long firstTimestamp)
    {
        var timestamps = new long[count];
        var reader = new KafkaReader(records);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var length = reader.ReadVarint();
                var start = reader.Position;
                _ = reader.ReadInt8(); // attributes
                timestamps[i] = firstTimestamp + reader.ReadVarlong();
                var skip = length - (reader.Position - start);
                if (skip < 0 || skip > reader.Remaining)
                {
                    return null;
                }

                reader = new KafkaReader(reader.RemainingSpan[skip..]);
            }

            return timestamps;
        }
        catch (MalformedRequestException)
        {
            return null;
        }
    }
}
