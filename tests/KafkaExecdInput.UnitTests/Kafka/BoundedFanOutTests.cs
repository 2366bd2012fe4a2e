using KafkaExecdInput.Kafka;

namespace KafkaExecdInput.UnitTests.Kafka;

/// <summary>The fan-out's deadline rules (Kafka/BoundedFanOut.cs): it ends at the deadline, and records nothing after it.</summary>
public class BoundedFanOutTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task At_the_deadline_it_returns_reports_calls_still_running_and_drops_their_later_answers()
    {
        var time = new TimerWatchingTimeProvider();
        var deadline = new Deadline(Budget, time);
        var late = new TaskCompletionSource<int>(); // continuations inline: its answer is handled inside SetResult
        var recorded = new List<int>();
        var unanswered = new List<int>();
        var notStarted = new List<int>();

        var fanOut = BoundedFanOut.RunAsync([1, 2, 3], maxInFlight: 1, deadline,
            call: item => item == 1 ? Task.FromResult(10) : late.Task,
            record: (item, answer) => recorded.Add(answer),
            notStarted: notStarted.Add,
            unanswered: unanswered.Add);
        await time.WaitForTimersAsync(1); // the deadline's timer: 1 answered, 2 holds the one slot, 3 waits for it
        Assert.False(fanOut.IsCompleted);
        time.Advance(Budget);
        await fanOut.WaitAsync(TestWait.Limit);

        Assert.Equal([10], recorded);
        Assert.Equal([2], unanswered);
        Assert.Equal([3], notStarted);
        late.SetResult(20);
        Assert.Equal([10], recorded);
    }

    [Fact]
    public async Task Before_the_deadline_it_waits_for_every_call_and_records_each_answer_once()
    {
        var time = new TimerWatchingTimeProvider();
        var answers = Enumerable.Range(0, 20).Select(_ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var recorded = new List<int>();

        var fanOut = BoundedFanOut.RunAsync(Enumerable.Range(0, 20), maxInFlight: 3, new Deadline(Budget, time),
            call: item => answers[item].Task,
            record: (item, answer) => recorded.Add(answer), // not thread-safe on purpose: records come one at a time
            notStarted: _ => Assert.Fail("all start before the deadline"),
            unanswered: _ => Assert.Fail("all answer before the deadline"));
        await Task.WhenAll(answers.Select((answer, i) => Task.Run(() => answer.SetResult(i))));
        await fanOut.WaitAsync(TestWait.Limit);

        Assert.Equal(Enumerable.Range(0, 20), recorded.Order());
    }
}
