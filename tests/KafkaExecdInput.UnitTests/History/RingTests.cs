using CsCheck;
using KafkaExecdInput.History;

namespace KafkaExecdInput.UnitTests.History;

/// <summary>
/// The two buffers over History/RingIndex.cs hold exactly the newest <c>capacity</c> of what was added,
/// oldest first, through growth and wrap-around; checked against a plain list as the model.
/// </summary>
public class RingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_offset_ring_holds_the_newest_points_up_to_its_capacity_oldest_first()
    {
        Gen.Select(Gen.Int[1, 9], Gen.Long[0, 1_000].Array[0, 40], Gen.Int[0, 40]).Sample((capacity, offsets, clearAt) =>
        {
            var ring = new OffsetRing(capacity);
            var model = new List<OffsetPoint>();
            for (var i = 0; i < offsets.Length; i++)
            {
                if (i == clearAt)
                {
                    ring.Clear();
                    model.Clear();
                }
                var point = new OffsetPoint(offsets[i], Start.AddSeconds(i));
                ring.Add(point.Offset, point.At);
                model.Add(point);
            }
            var expected = model.Skip(Math.Max(0, model.Count - capacity)).ToList();
            Assert.Equal(expected, ring.Points);
            Assert.Equal(expected.Count, ring.Count);
            Assert.Equal(expected.Count == capacity, ring.IsFull);
            if (expected.Count > 0)
            {
                Assert.Equal(expected[^1], ring.Last);
                ring.MoveLastTo(Start.AddDays(1));
                Assert.Equal(expected[^1] with { At = Start.AddDays(1) }, ring.Last);
            }
            Assert.Throws<ArgumentOutOfRangeException>(() => ring[expected.Count]);
        });
    }

    [Fact]
    public void A_commit_window_holds_the_newest_observations_and_a_resize_keeps_the_newest_that_fit()
    {
        var observation = Gen.Select(Gen.Long[0, 1_000], Gen.Long[0, 50]);
        Gen.Select(Gen.Int[2, 9], observation.Array[0, 40], Gen.Int[2, 9]).Sample((capacity, observations, resizedTo) =>
        {
            var window = new CommitWindow(capacity);
            var model = new List<CommitObservation>();
            for (var i = 0; i < observations.Length; i++)
            {
                var (offset, lag) = observations[i];
                var added = new CommitObservation(offset, Start.AddSeconds(i), lag);
                window.Add(added.Offset, added.At, added.Lag);
                model.Add(added);
            }
            var expected = model.Skip(Math.Max(0, model.Count - capacity)).ToList();
            Assert.Equal(expected, Enumerable.Range(0, window.Count).Select(i => window[i]));
            Assert.Equal(expected.Count == capacity, window.IsFull);

            var resized = window.Resized(resizedTo);
            Assert.Equal(expected.Skip(Math.Max(0, expected.Count - resizedTo)), Enumerable.Range(0, resized.Count).Select(i => resized[i]));
        });
    }
}
