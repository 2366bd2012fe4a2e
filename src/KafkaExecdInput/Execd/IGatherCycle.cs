namespace KafkaExecdInput.Execd;

/// <summary>What the execd loop asks for each request: one gather, and the bytes it produced.</summary>
internal interface IGatherCycle
{
    /// <summary>The line protocol of the last gather; valid until the next call.</summary>
    ReadOnlyMemory<byte> Output { get; }

    /// <summary>Runs one gather; returns true when it was complete.</summary>
    Task<bool> RunAsync(CancellationToken cancellationToken);

    /// <summary>Runs one gather whose block is kept only if <paramref name="requested"/> says so once its snapshot is in; returns whether it was.</summary>
    Task<bool> WarmUpAsync(Func<bool> requested, CancellationToken cancellationToken);

    /// <summary>The last gather's block is on stdout: what it held can be given back before the next request.</summary>
    void OutputWritten();
}
