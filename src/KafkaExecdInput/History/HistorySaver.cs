namespace KafkaExecdInput.History;

/// <summary>
/// When the history goes to the <see cref="HistoryStateFile"/>: after every
/// <c>state_file_write_every</c>-th gather, in the background (the gather's lines are already on their
/// way to Telegraf), and once more on a clean exit. The history is only changed by a gather, and the
/// next gather first waits for a write in progress, so a write always sees one gather's state whole.
/// </summary>
internal sealed class HistorySaver(HistoryStateFile file, GatherHistory history, int everyGathers)
{
    private Task _writing = Task.CompletedTask;
    private int _gathers;

    public HistoryStateFile File => file;

    /// <summary>Called before a gather changes the history: waits for a write in progress.</summary>
    public Task BeforeGatherAsync() => _writing;

    /// <summary>Called after a gather: starts a write every <c>everyGathers</c> gathers.</summary>
    public void AfterGather()
    {
        if (++_gathers % everyGathers == 0)
        {
            _writing = Task.Run(() => file.Save(history));
        }
    }

    /// <summary>The clean-exit write (after one in progress, if any). Never throws: a failure is a warning.</summary>
    public async Task SaveOnExitAsync()
    {
        await _writing.ConfigureAwait(false);
        if (_gathers > 0)
        {
            file.Save(history);
        }
    }
}
