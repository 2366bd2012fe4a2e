using System.Text;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.UnitTests.Support;
using static KafkaExecdInput.UnitTests.LineProtocol.Names;

namespace KafkaExecdInput.UnitTests.LineProtocol;

public sealed class LineProtocolWriterTests
{
    private static string Text(LineProtocolWriter writer) => Encoding.UTF8.GetString(writer.WrittenSpan);

    private static string OneTagLine(string value)
    {
        using var writer = new LineProtocolWriter(16);
        writer.BeginLine(M("m"));
        writer.Tag(T("t"), value);
        writer.Field(F("v"), 1L);
        writer.EndLine(7);
        return Text(writer);
    }

    [Fact]
    public void Past_the_spill_threshold_complete_lines_go_to_the_stream_and_the_last_line_stays_in_the_buffer()
    {
        using var whole = new LineProtocolWriter();
        using var spilling = new LineProtocolWriter();
        var spilled = new MemoryStream();
        spilling.SpillTo(spilled);
        var lines = 0;
        for (; whole.WrittenSpan.Length < 3 * LineProtocolWriter.SpillThreshold; lines++)
        {
            foreach (var writer in new[] { whole, spilling })
            {
                writer.BeginLine(M("m"));
                writer.Tag(T("t"), lines);
                writer.Field(F("v"), (long)lines);
                writer.EndLine(7);
            }
        }

        Assert.True(spilled.Length >= 2 * LineProtocolWriter.SpillThreshold, $"{spilled.Length} bytes spilled");
        Assert.Equal(spilled.Length, spilling.BytesSpilled);
        Assert.Equal((byte)'\n', spilled.ToArray()[^1]); // only whole lines leave the buffer
        Assert.InRange(spilling.WrittenSpan.Length, 1, LineProtocolWriter.SpillThreshold + 64);
        byte[] joined = [.. spilled.ToArray(), .. spilling.WrittenSpan];
        Assert.Equal(whole.WrittenSpan.ToArray(), joined);
        Assert.Equal(lines, spilling.LinesWritten);
    }

    [Fact]
    public void A_spill_stream_that_fails_is_an_OutputClosedException()
    {
        using var writer = new LineProtocolWriter();
        writer.SpillTo(new BrokenPipe());

        Assert.Throws<OutputClosedException>(() =>
        {
            for (var i = 0; i <= LineProtocolWriter.SpillThreshold; i++)
            {
                writer.BeginLine(M("m"));
                writer.Field(F("v"), (long)i);
                writer.EndLine(7);
            }
        });
    }

    private sealed class BrokenPipe : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("Broken pipe");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }

    [Fact]
    public void Writes_a_complete_line_with_integer_suffix_and_timestamp()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("kafka_topic_partition"));
        writer.Tag(T("partition"), 3);
        writer.Tag(T("topic"), "orders");
        writer.Field(F("current_offset"), 42L);
        writer.Field(F("leader"), -1L);
        Assert.True(writer.EndLine(1_700_000_000_000_000_000));

        Assert.Equal("kafka_topic_partition,partition=3,topic=orders current_offset=42i,leader=-1i 1700000000000000000\n", Text(writer));
        Assert.Equal(1, writer.LinesWritten);
    }

    [Theory]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData("a b", @"a\ b")]
    [InlineData(" lead", @"\ lead")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData(@"\x", @"\x")]
    [InlineData(@"a\\b", @"a\\b")]
    [InlineData(@"a\,b", @"a\\,b")]
    [InlineData(@"a\ b", @"a\\ b")]
    [InlineData(@"a\=b", @"a\\=b")]
    [InlineData(@"a\\,b", @"a\\\,b")]
    [InlineData("a\"b", "a\"b")]
    [InlineData("quote\"", "quote\"")]
    [InlineData("#hash", "#hash")]
    [InlineData("ü€😀", "ü€😀")]
    public void Escapes_only_comma_equals_and_space_in_tag_values(string value, string expected)
    {
        Assert.Equal($"m,t={expected} v=1i 7\n", OneTagLine(value));
    }

    [Fact]
    public void Escapes_comma_equals_and_space_in_tag_keys_and_comma_and_space_in_measurements()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("my measure,x=y"));
        writer.Tag(T("a key,="), "v");
        writer.Field(F("f"), true);
        writer.EndLine(1);

        Assert.Equal("my\\ measure\\,x=y,a\\ key\\,\\==v f=true 1\n", Text(writer));
    }

    [Fact]
    public void Escapes_backslash_and_quote_in_string_fields_and_keeps_tabs()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Field(F("s"), "say \"hi\"\\ n\tok,=");
        writer.EndLine(1);

        Assert.Equal("m s=\"say \\\"hi\\\"\\\\ n\tok,=\" 1\n", Text(writer));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(3.0, "3")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1e21, "1E+21")]
    [InlineData(1e-5, "1E-05")]
    [InlineData(-0.0, "-0")]
    [InlineData(double.MaxValue, "1.7976931348623157E+308")]
    public void Writes_floats_in_shortest_round_trip_invariant_form(double value, string expected)
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Field(F("f"), value);
        writer.EndLine(1);

        Assert.Equal($"m f={expected} 1\n", Text(writer));
        Assert.Equal(value, (double)StrictLineParser.Parse(Text(writer).TrimEnd('\n')).Field("f")!);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Leaves_out_a_non_finite_float_but_keeps_the_other_fields(double value)
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Field(F("bad"), value);
        writer.Field(F("good"), 2L);
        writer.Field(F("worse"), value);
        Assert.True(writer.EndLine(1));

        Assert.Equal("m good=2i 1\n", Text(writer));
    }

    [Fact]
    public void Drops_a_line_whose_only_field_was_not_finite()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("first"));
        writer.Field(F("v"), 1L);
        writer.EndLine(1);

        writer.BeginLine(M("m"));
        writer.Tag(T("t"), "x");
        writer.Field(F("f"), double.NaN);

        Assert.False(writer.EndLine(2));
        Assert.Equal("first v=1i 1\n", Text(writer));
        Assert.Equal(1, writer.LinesWritten);
    }

    [Fact]
    public void Leaves_out_a_tag_with_an_empty_value()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Tag(T("a"), "");
        writer.Tag(T("b"), "x");
        writer.Field(F("v"), 1L);
        writer.EndLine(1);

        Assert.Equal("m,b=x v=1i 1\n", Text(writer));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("carriage\rreturn")]
    [InlineData("tab\there")]
    [InlineData("nul\0")]
    [InlineData("del\u007f")]
    [InlineData(@"trailing\")]
    [InlineData(@"back\""quote")]
    [InlineData("")]
    public void Reports_tag_values_that_cannot_be_represented(string value)
    {
        Assert.NotEqual(NameProblem.None, LineProtocolSyntax.CheckTagValue(value));
    }

    // Lone surrogates are built here because xunit mangles them in theory data.
    [Fact]
    public void Reports_lone_surrogates_as_unrepresentable()
    {
        string high = "lone" + (char)0xD800 + "x";
        string low = ((char)0xDC00).ToString();
        string highAtEnd = "end" + (char)0xDBFF;

        Assert.Equal(NameProblem.LoneSurrogate, LineProtocolSyntax.CheckTagValue(high));
        Assert.Equal(NameProblem.LoneSurrogate, LineProtocolSyntax.CheckTagValue(low));
        Assert.Equal(NameProblem.LoneSurrogate, LineProtocolSyntax.CheckTagValue(highAtEnd));
        Assert.Equal(NameProblem.LoneSurrogate, LineProtocolSyntax.CheckStringField(high));
        Assert.Equal(NameProblem.None, LineProtocolSyntax.CheckTagValue("pair 😀"));
    }

    [Fact]
    public void Throws_on_an_unrepresentable_tag_value_and_leaves_only_complete_lines()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("ok"));
        writer.Field(F("v"), 1L);
        writer.EndLine(1);

        writer.BeginLine(M("m"));
        writer.Tag(T("a"), "fine");
        Assert.Throws<ArgumentException>(() => writer.Tag(T("t"), "bad\nname"));

        Assert.Equal("ok v=1i 1\n", Text(writer));
        writer.BeginLine(M("next"));
        writer.Field(F("v"), 2L);
        writer.EndLine(2);
        Assert.Equal("ok v=1i 1\nnext v=2i 2\n", Text(writer));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("cr\r")]
    [InlineData("nul\0")]
    public void Throws_on_an_unrepresentable_string_field(string value)
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        Assert.Throws<ArgumentException>(() => writer.Field(F("s"), value));
        Assert.Equal(0, writer.WrittenSpan.Length);
    }

    [Fact]
    public void Refuses_a_tag_after_a_field()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Field(F("v"), 1L);
        Assert.Throws<InvalidOperationException>(() => writer.Tag(T("t"), "x"));
        Assert.Equal(0, writer.WrittenSpan.Length);
    }

    [Theory]
    [InlineData("b", "a")]
    [InlineData("a", "a")]
    public void Refuses_tag_keys_out_of_order_or_repeated(string first, string second)
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Tag(T(first), "1");
        Assert.Throws<ArgumentException>(() => writer.Tag(T(second), "2"));
    }

    [Fact]
    public void Refuses_calls_outside_a_line()
    {
        using var writer = new LineProtocolWriter();
        Assert.Throws<InvalidOperationException>(() => writer.Tag(T("t"), "x"));
        Assert.Throws<InvalidOperationException>(() => writer.Field(F("v"), 1L));
        Assert.Throws<InvalidOperationException>(() => writer.EndLine(1));

        writer.BeginLine(M("m"));
        Assert.Throws<InvalidOperationException>(() => writer.BeginLine(M("n")));
    }

    [Fact]
    public void A_partial_line_is_not_visible_until_it_ends()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Tag(T("t"), "x");
        writer.Field(F("v"), 1L);
        Assert.Equal(0, writer.WrittenSpan.Length);

        writer.CancelLine();
        Assert.Equal(0, writer.WrittenSpan.Length);
        Assert.Equal(0, writer.LinesWritten);
    }

    [Fact]
    public void Reset_forgets_lines_and_keeps_working()
    {
        using var writer = new LineProtocolWriter(8);
        for (int i = 0; i < 1000; i++)
        {
            writer.BeginLine(M("grow"));
            writer.Tag(T("i"), i);
            writer.Field(F("v"), (long)i);
            writer.EndLine(i);
        }

        Assert.Equal(1000, writer.LinesWritten);
        Assert.Equal(1000, StrictLineParser.ParseAll(writer.WrittenSpan).Count);

        writer.Reset();
        Assert.Equal(0, writer.LinesWritten);
        Assert.Equal(0, writer.WrittenSpan.Length);
        writer.BeginLine(M("m"));
        writer.Field(F("v"), 1L);
        writer.EndLine(1);
        Assert.Equal("m v=1i 1\n", Text(writer));
    }

    [Fact]
    public void Writes_extreme_integers_and_timestamps()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(M("m"));
        writer.Tag(T("p"), int.MinValue);
        writer.Field(F("max"), long.MaxValue);
        writer.Field(F("min"), long.MinValue);
        writer.EndLine(-1);

        Assert.Equal("m,p=-2147483648 max=9223372036854775807i,min=-9223372036854775808i -1\n", Text(writer));
        ParsedLine parsed = StrictLineParser.Parse(Text(writer).TrimEnd('\n'));
        Assert.Equal(long.MinValue, parsed.Field("min"));
        Assert.Equal(-1, parsed.Timestamp);
    }

    [Fact]
    public void Steady_state_writing_allocates_nothing()
    {
        using var writer = new LineProtocolWriter();
        string[] topics = ["orders", "payments with space", "a,b=c", "ünïcødé-😀"];
        EncodedName measurement = M("kafka_consumergroup");
        (EncodedName group, EncodedName partition, EncodedName topic) = (T("consumergroup"), T("partition"), T("topic"));
        (EncodedName offset, EncodedName lag, EncodedName ratio, EncodedName ok) = (F("current_offset"), F("lag"), F("ratio"), F("ok"));

        void WriteLines()
        {
            for (int i = 0; i < 10_000; i++)
            {
                writer.BeginLine(measurement);
                writer.Tag(group, "group-1");
                writer.Tag(partition, i);
                writer.Tag(topic, topics[i & 3]);
                writer.Field(offset, i * 1000L);
                writer.Field(lag, 17L);
                writer.Field(ratio, i / 7.0);
                writer.Field(ok, true);
                writer.EndLine(1_700_000_000_000_000_000L + i);
            }
        }

        WriteLines();
        writer.Reset();
        WriteLines();
        writer.Reset();

        long before = GC.GetAllocatedBytesForCurrentThread();
        WriteLines();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(10_000, writer.LinesWritten);
        Assert.Equal(0, allocated);
    }
}
