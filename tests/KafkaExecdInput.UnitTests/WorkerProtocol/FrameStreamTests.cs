using System.Buffers;
using KafkaExecdInput.WorkerProtocol;

namespace KafkaExecdInput.UnitTests.WorkerProtocol;

public class FrameStreamTests
{
    [Fact]
    public async Task Frames_come_back_whole_and_in_order()
    {
        var pipe = new MemoryStream();
        var frames = new FrameStream(pipe);
        await frames.WriteAsync(w => w.Write(new byte[] { 1, 2, 3 }), CancellationToken.None);
        await frames.WriteAsync(w => w.Write(new byte[100_000]), CancellationToken.None);
        await frames.WriteAsync(w => w.Write(new byte[] { 4 }), CancellationToken.None);
        pipe.Position = 0;

        Assert.Equal([1, 2, 3], (await frames.ReadAsync(CancellationToken.None))!.Value.ToArray());
        Assert.Equal(100_000, (await frames.ReadAsync(CancellationToken.None))!.Value.Length);
        Assert.Equal([4], (await frames.ReadAsync(CancellationToken.None))!.Value.ToArray());
        Assert.Null(await frames.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frame_cut_off_by_a_dying_writer_reads_as_the_end()
    {
        var whole = new MemoryStream();
        await new FrameStream(whole).WriteAsync(w => w.Write(new byte[50]), CancellationToken.None);
        var cut = new MemoryStream(whole.ToArray()[..30]);

        Assert.Null(await new FrameStream(cut).ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_impossible_length_is_reported_as_corruption()
    {
        var garbage = new MemoryStream([0xff, 0xff, 0xff, 0xff, 0]);

        await Assert.ThrowsAsync<InvalidDataException>(() => new FrameStream(garbage).ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_their_frames()
    {
        var pipe = new MemoryStream();
        var frames = new FrameStream(pipe);
        await Task.WhenAll(Enumerable.Range(1, 50).Select(i => Task.Run(() =>
            frames.WriteAsync(w => w.Write(Enumerable.Repeat((byte)i, 1000 * i).ToArray()), CancellationToken.None))));
        pipe.Position = 0;

        var seen = new List<int>();
        while (await frames.ReadAsync(CancellationToken.None) is { } frame)
        {
            var body = frame.ToArray();
            Assert.Equal(1000 * body[0], body.Length);
            Assert.All(body, b => Assert.Equal(body[0], b));
            seen.Add(body[0]);
        }
        Assert.Equal(Enumerable.Range(1, 50), seen.Order());
    }
}
