using KafkaExecdInput.Worker;

namespace KafkaExecdInput.UnitTests.Worker;

public class FrameStreamTests
{
    [Fact]
    public async Task Frames_come_back_whole_and_in_order()
    {
        var pipe = new MemoryStream();
        var frames = new FrameStream(pipe);
        await frames.WriteAsync([1, 2, 3], CancellationToken.None);
        await frames.WriteAsync(new byte[100_000], CancellationToken.None);
        pipe.Position = 0;

        Assert.Equal([1, 2, 3], await frames.ReadAsync(CancellationToken.None));
        Assert.Equal(100_000, (await frames.ReadAsync(CancellationToken.None))!.Length);
        Assert.Null(await frames.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frame_cut_off_by_a_dying_writer_reads_as_the_end()
    {
        var whole = new MemoryStream();
        await new FrameStream(whole).WriteAsync(new byte[50], CancellationToken.None);
        var cut = new MemoryStream(whole.ToArray()[..30]);

        Assert.Null(await new FrameStream(cut).ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_impossible_length_is_reported_as_corruption()
    {
        var garbage = new MemoryStream([0xff, 0xff, 0xff, 0xff, 0]);

        await Assert.ThrowsAsync<InvalidDataException>(() => new FrameStream(garbage).ReadAsync(CancellationToken.None));
    }
}
