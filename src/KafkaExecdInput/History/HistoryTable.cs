using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace KafkaExecdInput.History;

/// <summary>
/// Per-key state that outlives a gather, with when the key was first and last seen in a snapshot.
/// Entries exist only for keys some metric family asked for (<see cref="GetOrAdd"/>), so a family
/// that is off costs nothing here.
/// </summary>
internal sealed class HistoryTable<TKey, TState>
    where TKey : notnull
    where TState : class, new()
{
    private readonly Dictionary<TKey, HistoryEntry<TKey, TState>> _entries = [];

    public int Count => _entries.Count;

    /// <summary>This key's state, created (first and last seen now) when it has none.</summary>
    public TState GetOrAdd(TKey key, DateTimeOffset now) => GetOrAdd(key, now, markSeen: false);

    /// <summary>
    /// <see cref="GetOrAdd(TKey, DateTimeOffset)"/> and <see cref="MarkSeen"/> in one lookup: a gather at L
    /// does both for 150,000 group-partitions.
    /// </summary>
    public TState GetOrAddSeen(TKey key, DateTimeOffset now) => GetOrAdd(key, now, markSeen: true);

    private TState GetOrAdd(TKey key, DateTimeOffset now, bool markSeen)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var exists);
        if (!exists)
        {
            entry = new HistoryEntry<TKey, TState>(key, now, now, new TState());
        }
        else if (markSeen)
        {
            entry!.LastSeen = now;
        }
        return entry!.State;
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TState state)
    {
        var found = _entries.TryGetValue(key, out var entry);
        state = entry?.State;
        return found;
    }

    public IEnumerable<HistoryEntry<TKey, TState>> Entries => _entries.Values;

    /// <summary>Records that a snapshot still showed the key; keys without state are ignored.</summary>
    internal void MarkSeen(TKey key, DateTimeOffset now)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.LastSeen = now;
        }
    }

    internal void DropNotSeenSince(DateTimeOffset cutoff)
    {
        foreach (var entry in _entries.Values.Where(e => e.LastSeen < cutoff).ToList())
        {
            _entries.Remove(entry.Key);
        }
    }

    internal void Add(HistoryEntry<TKey, TState> entry) => _entries[entry.Key] = entry;
}

/// <summary>One key's state and when the key was first and last seen in a snapshot.</summary>
/// <remarks>A class whose last sighting is updated in place: every gather marks every entry seen, and a
/// new record per entry would be 200,000 objects of garbage per gather at L.</remarks>
internal sealed class HistoryEntry<TKey, TState>(TKey key, DateTimeOffset firstSeen, DateTimeOffset lastSeen, TState state)
{
    public TKey Key { get; } = key;

    public DateTimeOffset FirstSeen { get; } = firstSeen;

    public DateTimeOffset LastSeen { get; internal set; } = lastSeen;

    public TState State { get; } = state;
}
