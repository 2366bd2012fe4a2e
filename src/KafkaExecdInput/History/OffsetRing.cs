using System.Text.Json.Serialization;

namespace KafkaExecdInput.History;

/// <summary>
/// The last <see cref="Capacity"/> offsets seen, with when they were seen, oldest first: the window
/// that lag in seconds (latest offsets) and Burrow-style evaluation (commits) are computed over
/// (design.md §8). Adding to a full ring drops its oldest point.
/// </summary>
internal sealed class OffsetRing
{
    private readonly Queue<OffsetPoint> _points;

    public OffsetRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _points = new Queue<OffsetPoint>(capacity);
    }

    [JsonConstructor]
    public OffsetRing(int capacity, IReadOnlyList<OffsetPoint> points)
        : this(capacity)
    {
        foreach (var point in points.Skip(Math.Max(0, points.Count - capacity)))
        {
            _points.Enqueue(point);
        }
    }

    public int Capacity { get; }

    public IReadOnlyList<OffsetPoint> Points => [.. _points];

    [JsonIgnore]
    public int Count => _points.Count;

    [JsonIgnore]
    public bool IsFull => _points.Count == Capacity;

    public void Add(long offset, DateTimeOffset at)
    {
        if (_points.Count == Capacity)
        {
            _points.Dequeue();
        }
        _points.Enqueue(new OffsetPoint(offset, at));
    }
}

internal readonly record struct OffsetPoint(long Offset, DateTimeOffset At);
