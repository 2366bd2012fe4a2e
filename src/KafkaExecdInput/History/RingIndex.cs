namespace KafkaExecdInput.History;

/// <summary>
/// The bookkeeping of a circular buffer kept as one array of longs, a row of columns per slot
/// (<see cref="OffsetRing"/>, <see cref="CommitWindow"/>): which slot holds the row at an index, where
/// the next row goes, and when the array must grow. A struct held in a field of its buffer, so that it
/// costs no object of its own (those buffers exist once per partition or group-partition); the array
/// stays in the buffer, which owns its layout. One array rather than one per column: at L's 150,000
/// group-partitions the two extra arrays of a commit window cost 10 MB.
/// </summary>
internal struct RingIndex(int capacity)
{
    /// <summary>The rows the array starts with: a buffer that never holds more than two rows never grows.</summary>
    public const int InitialSize = 2;

    private int _first;

    public int Capacity { get; } = capacity;

    public int Count { get; private set; }

    public readonly bool IsFull => Count == Capacity;

    /// <summary>The slot of the row at <paramref name="index"/>, 0 being the oldest, in an array of <paramref name="length"/> rows.</summary>
    public readonly int SlotOf(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return (_first + index) % length;
    }

    /// <summary>Whether the array, <paramref name="length"/> rows long, must grow before a row is appended.</summary>
    public readonly bool MustGrow(int length) => Count == length && Count < Capacity;

    /// <summary>Twice the length, at most <see cref="Capacity"/>.</summary>
    public readonly int GrownLength(int length) => Math.Min(Capacity, length * 2);

    /// <summary>
    /// The rows copied into an array of <paramref name="size"/> rows of <paramref name="columns"/>. Rows
    /// are in slot order from 0: a buffer grows only before it first fills, and drops rows (moving its
    /// first slot) only once full, when its array is already at <see cref="Capacity"/>.
    /// </summary>
    public readonly long[] Grown(long[] rows, int size, int columns)
    {
        System.Diagnostics.Debug.Assert(_first == 0, "a buffer that has wrapped is at its capacity and never grows");
        var grown = new long[size * columns];
        Array.Copy(rows, grown, Count * columns);
        return grown;
    }

    /// <summary>The slot the new row is written to, in an array of <paramref name="length"/> rows; a full buffer drops its oldest row to make room.</summary>
    public int Append(int length)
    {
        if (Count == Capacity)
        {
            _first = (_first + 1) % length;
            Count--;
        }
        var slot = (_first + Count) % length;
        Count++;
        return slot;
    }

    public void Clear() => _first = Count = 0;
}
