namespace KafkaTestCluster.State;

/// <summary>
/// Timestamps of a partition's records, for ListOffsets by timestamp and max-timestamp. Offsets that were
/// produced keep the batch timestamps the producer sent; every other offset (made by moving watermarks)
/// follows the synthetic model <c>base + offset * step</c>, so a partition costs nothing until it is produced to.
/// </summary>
internal sealed class RecordTimeline
{
    private List<ProducedBatch>? _batches;

    public long SyntheticBaseMs { get; set; }

    public long SyntheticStepMs { get; set; }

    public long SyntheticTimestamp(long offset) => SyntheticBaseMs + (offset * SyntheticStepMs);

    public void Append(ProducedBatch batch) => (_batches ??= []).Add(batch);

    /// <summary>
    /// Forgets produced batches that reach past <paramref name="endOffset"/> after the high watermark moved
    /// back; their offsets below it fall back to the synthetic model, so nothing is served beyond it.
    /// </summary>
    public void TruncateTo(long endOffset) => _batches?.RemoveAll(b => b.BaseOffset + b.Count > endOffset);

    public void Clear() => _batches = null;

    /// <summary>The first produced batch that ends after <paramref name="offset"/>, or null.</summary>
    public ProducedBatch? FirstBatchEndingAfter(long offset)
    {
        if (_batches is null)
        {
            return null;
        }

        foreach (var batch in _batches)
        {
            if (batch.BaseOffset + batch.Count > offset)
            {
                return batch;
            }
        }

        return null;
    }

    /// <summary>The first offset in [start, end) whose timestamp is at least <paramref name="targetMs"/>.</summary>
    public (long Offset, long Timestamp)? FindFirstAtOrAfter(long targetMs, long start, long end)
    {
        var cursor = start;
        if (_batches is not null)
        {
            foreach (var batch in _batches)
            {
                var batchEnd = batch.BaseOffset + batch.Count;
                if (batchEnd <= cursor)
                {
                    continue;
                }

                if (batch.BaseOffset >= end)
                {
                    break;
                }

                var hit = FindSynthetic(targetMs, cursor, Math.Min(batch.BaseOffset, end));
                if (hit is not null)
                {
                    return hit;
                }

                var from = Math.Max(cursor, batch.BaseOffset);
                var to = Math.Min(batchEnd, end);
                for (var offset = from; offset < to; offset++)
                {
                    var ts = batch.TimestampOf(offset);
                    if (ts >= targetMs)
                    {
                        return (offset, ts);
                    }
                }

                cursor = to;
            }
        }

        return FindSynthetic(targetMs, cursor, end);
    }

    private (long Offset, long Timestamp)? FindSynthetic(long targetMs, long start, long end)
    {
        if (start >= end)
        {
            return null;
        }

        long offset;
        if (SyntheticStepMs <= 0)
        {
            offset = SyntheticBaseMs >= targetMs ? start : end;
        }
        else
        {
            var needed = targetMs - SyntheticBaseMs;
            var first = needed <= 0 ? 0 : (needed + SyntheticStepMs - 1) / SyntheticStepMs;
            offset = Math.Max(start, first);
        }

        return offset < end ? (offset, SyntheticTimestamp(offset)) : null;
    }

    /// <summary>The record with the largest timestamp in [start, end) (first one on ties), as ListOffsets -3 reports.</summary>
    public (long Offset, long Timestamp)? FindMaxTimestamp(long start, long end)
    {
        if (start >= end)
        {
            return null;
        }

        (long Offset, long Timestamp)? best = null;
        void Consider(long offset, long ts)
        {
            if (best is null || ts > best.Value.Timestamp)
            {
                best = (offset, ts);
            }
        }

        var cursor = start;
        if (_batches is not null)
        {
            foreach (var batch in _batches)
            {
                var batchEnd = batch.BaseOffset + batch.Count;
                if (batchEnd <= cursor || batch.BaseOffset >= end)
                {
                    continue;
                }

                ConsiderSynthetic(cursor, Math.Min(batch.BaseOffset, end), Consider);
                var from = Math.Max(cursor, batch.BaseOffset);
                var to = Math.Min(batchEnd, end);
                for (var offset = from; offset < to; offset++)
                {
                    Consider(offset, batch.TimestampOf(offset));
                }

                cursor = to;
            }
        }

        ConsiderSynthetic(cursor, end, Consider);
        return best;
    }

    private void ConsiderSynthetic(long start, long end, Action<long, long> consider)
    {
        if (start >= end)
        {
            return;
        }

        var offset = SyntheticStepMs >= 0 ? (SyntheticStepMs == 0 ? start : end - 1) : start;
        consider(offset, SyntheticTimestamp(offset));
    }
}

/// <summary>A produced record batch: where it landed and its records' timestamps.</summary>
internal sealed class ProducedBatch(long baseOffset, int count, long firstTimestamp, long maxTimestamp, long[]? recordTimestamps, byte[]? data = null)
{
    /// <summary>The batch as produced, its base offset rewritten to where it landed; Fetch serves it as is.</summary>
    public byte[]? Data { get; } = data;

    public long BaseOffset { get; } = baseOffset;

    public int Count { get; } = count;

    public long FirstTimestamp { get; } = firstTimestamp;

    public long MaxTimestamp { get; } = maxTimestamp;

    /// <summary>Per-record timestamps when the batch was readable (uncompressed); null otherwise.</summary>
    public long[]? RecordTimestamps { get; } = recordTimestamps;

    /// <summary>Compressed batches only tell first and max: the first record gets the first, the rest the max.</summary>
    public long TimestampOf(long offset)
    {
        var i = (int)(offset - BaseOffset);
        if (RecordTimestamps is not null)
        {
            return RecordTimestamps[i];
        }

        return i == 0 ? FirstTimestamp : MaxTimestamp;
    }
}
