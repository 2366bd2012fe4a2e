using KafkaExecdInput.Kafka;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>Keeps every part the reader sends, in order, and every error it reports; a test can wait for the first part of a kind.</summary>
internal sealed class RecordingSink : IGatherSink
{
    private readonly List<GatherPart> _parts = [];
    private readonly List<GatherError> _errors = [];
    private readonly Dictionary<Type, TaskCompletionSource> _firstOfKind = [];

    public IReadOnlyList<GatherPart> Parts
    {
        get
        {
            lock (_parts)
            {
                return [.. _parts];
            }
        }
    }

    public IReadOnlyList<GatherError> Errors
    {
        get
        {
            lock (_parts)
            {
                return [.. _errors];
            }
        }
    }

    public Task ReportAsync(GatherError error)
    {
        lock (_parts)
        {
            _errors.Add(error);
        }
        return Task.CompletedTask;
    }

    public Task SendAsync(GatherPart part)
    {
        lock (_parts)
        {
            _parts.Add(part);
            FirstOf(part.GetType()).TrySetResult();
        }
        return Task.CompletedTask;
    }

    public Task WaitForAsync<TPart>()
        where TPart : GatherPart
    {
        lock (_parts)
        {
            return FirstOf(typeof(TPart)).Task.WaitAsync(TestWait.Limit);
        }
    }

    private TaskCompletionSource FirstOf(Type kind)
    {
        if (!_firstOfKind.TryGetValue(kind, out var first))
        {
            first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _firstOfKind[kind] = first;
        }
        return first;
    }
}
