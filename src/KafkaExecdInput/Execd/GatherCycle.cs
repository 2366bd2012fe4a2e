using KafkaExecdInput.Collection;
using KafkaExecdInput.History;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.Metrics;
using KafkaExecdInput.Snapshot;
using Microsoft.Extensions.Logging;

namespace KafkaExecdInput.Execd;

/// <summary>
/// One collection from request to bytes: snapshot from the worker, metrics from the snapshot,
/// line protocol through a reused buffer to the output, and one error line when the gather fell short.
/// </summary>
/// <param name="output">
/// Where the block goes while it is built, a megabyte at a time (LineProtocolWriter.SpillTo), so a
/// large cluster's block is never held whole; <see cref="Output"/> is then what is left to write.
/// Null keeps the whole block in <see cref="Output"/>.
/// </param>
internal sealed class GatherCycle(
    Collector collector,
    MetricBuilder metrics,
    TimeSpan timeout,
    ILogger logger,
    TimeProvider clock,
    Func<CancellationToken, Task>? beforeGather = null,
    HistorySaver? saver = null,
    Stream? output = null) : IGatherCycle
{
    /// <summary>Errors named in the one E! line of a gather; the rest are logged at debug level.</summary>
    internal const int ErrorsInSummary = 5;

    private readonly LineProtocolWriter _writer = NewWriter(output);

    /// <summary>How long building (and writing, as it goes) the last block took.</summary>
    private TimeSpan _lastBlockTime;

    /// <summary>The line protocol of the last gather not yet written to the output; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Output => _writer.WrittenMemory;

    private static LineProtocolWriter NewWriter(Stream? output)
    {
        var writer = new LineProtocolWriter();
        writer.SpillTo(output);
        return writer;
    }

    /// <summary>
    /// The time the collection may take: the timeout less what the last block took to build, at most
    /// half of it. A gather cut at its deadline must still write its block by timeout +
    /// Collector.BlockDeadlineSlack, and at L the block alone costs the parent about 0.7 s, more than
    /// the slack leaves (Collector.BlockWriteAllowance). A gather that ends before its deadline is not
    /// shortened by it.
    /// </summary>
    internal static TimeSpan CollectionBudget(TimeSpan timeout, TimeSpan lastBlockTime) =>
        timeout - (lastBlockTime < timeout / 2 ? lastBlockTime : timeout / 2);

    /// <summary>Runs one gather; returns true when it was complete. Throws <see cref="OutputClosedException"/> when the output failed.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken) =>
        await RunAsync(deliver: null, cancellationToken).ConfigureAwait(false) is not GatherEnd.Incomplete;

    /// <summary>
    /// A gather run only to warm up: a fresh plugin's first gather at L took ~1.7x one of its later gathers,
    /// all of it spent in both processes' first runs of their code and the client's (Benchmarks README, "Cold
    /// start"), and Telegraf, which restarts the plugin, sends its first request at the next interval boundary
    /// (its aligned ticker), so there is usually time for one gather before it. Its snapshot is a real
    /// observation and goes to the history like any other. Its block is written only when
    /// <paramref name="requested"/> says, once the snapshot is in, that a request arrived meanwhile: that request
    /// is then answered by this gather, not made to wait for another one. Returns whether the block was written.
    /// </summary>
    public async Task<bool> WarmUpAsync(Func<bool> requested, CancellationToken cancellationToken) =>
        await RunAsync(requested, cancellationToken).ConfigureAwait(false) is not GatherEnd.Discarded;

    private enum GatherEnd
    {
        Complete,
        Incomplete,
        Discarded,
    }

    private async Task<GatherEnd> RunAsync(Func<bool>? deliver, CancellationToken cancellationToken)
    {
        if (beforeGather is not null)
        {
            await beforeGather(cancellationToken).ConfigureAwait(false);
        }
        if (saver is not null)
        {
            await saver.BeforeGatherAsync().ConfigureAwait(false);
        }
        // Every line of a gather carries the time it started (design.md §4).
        var timestampNs = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var startedAt = clock.GetTimestamp();

        var snapshot = await collector.CollectAsync(CollectionBudget(timeout, _lastBlockTime), cancellationToken).ConfigureAwait(false);

        var discard = deliver is not null && !deliver();
        var blockStartedAt = clock.GetTimestamp();
        _writer.Reset();
        _writer.SpillTo(discard ? Stream.Null : output);
        try
        {
            metrics.Write(snapshot, new GatherSummary(clock.GetElapsedTime(startedAt), collector.WorkerRestarts, collector.WorkersAbandoned), timestampNs, _writer);
        }
        finally
        {
            _writer.SpillTo(output);
        }
        _lastBlockTime = clock.GetElapsedTime(blockStartedAt);
        saver?.AfterGather();
        if (discard)
        {
            _writer.Reset();
            logger.LogDebug("warm-up gather done in {Seconds:0.000} s, its block not written (no request came meanwhile)",
                clock.GetElapsedTime(startedAt).TotalSeconds);
            return GatherEnd.Discarded;
        }
        ReportErrors(snapshot);
        return snapshot.IsPartial ? GatherEnd.Incomplete : GatherEnd.Complete;
    }

    /// <summary>
    /// A gather at L leaves hundreds of MB of snapshot garbage in the parent; left to the GC it stays
    /// in the heap, and in RSS, for the whole interval until the next gather's allocations trigger a
    /// collection. One blocking compacting collection here, after the block is on stdout, costs no
    /// gather time and returns that memory (the benchmark's "parent's collection after the block").
    /// Aggressive, not merely forced: a forced compaction keeps the freed regions committed for the
    /// next gather, so idle RSS stayed near the peak (at L with defaults, parent idle 426 MB forced,
    /// 327 MB aggressive; worker 189 and 119 MB; the benchmark's gather mode, stop 19 note).
    /// </summary>
    public void OutputWritten() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private void ReportErrors(ClusterSnapshot snapshot)
    {
        if (!snapshot.IsPartial)
        {
            return;
        }
        var named = snapshot.Errors.Take(ErrorsInSummary).Select(e => $"{e.Source}: {e.Message}");
        var more = snapshot.Errors.Count > ErrorsInSummary
            ? $"; and {snapshot.Errors.Count - ErrorsInSummary} more (log_level = \"debug\" lists them)"
            : "";
        logger.LogError("collection incomplete, {Count} error(s), what was read is still written: {Errors}{More}",
            snapshot.Errors.Count, string.Join("; ", named), more);
        foreach (var error in snapshot.Errors.Skip(ErrorsInSummary))
        {
            logger.LogDebug("collection error: {Source}: {Message}", error.Source, error.Message);
        }
    }
}
