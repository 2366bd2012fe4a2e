using System.Text;
using CsCheck;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.UnitTests.Support;
using static KafkaExecdInput.UnitTests.LineProtocol.Names;

namespace KafkaExecdInput.UnitTests.LineProtocol;

public sealed class LineProtocolRoundTripProperties
{
    /// <summary>Names built from pieces that hit every escaping rule, with plain text in between.</summary>
    internal static readonly Gen<string> HostileName = Gen.Frequency(
            (6, Gen.Char['a', 'z'].Select(c => c.ToString())),
            (2, Gen.OneOf(",", "=", " ", "\"", "\\", "\\\\", "#", "'", "-", ".", "_")),
            (1, Gen.OneOf("\n", "\r", "\t", "\0", "\u007f", "\v", "\f")),
            (1, Gen.OneOf("é", "ü", "€", "中", "\u0085", "\u2028", "\uFEFF")),
            (1, Gen.OneOf("😀", "𝄞", "\ud83d\ude00")),
            (1, Gen.OneOf("\ud800", "\udfff")))
        .Array[0, 10]
        .Select(pieces => string.Concat(pieces));

    private static readonly UTF8Encoding Utf8WithReplacement = new(false, false);

    [Fact]
    public void Every_representable_name_round_trips_and_every_other_name_is_refused()
    {
        using var writer = new LineProtocolWriter(64);
        // Empty names are covered by their own test: the writer leaves such a tag out.
        Gen<string> nonEmpty = HostileName.Where(name => name.Length > 0);
        Gen.Select(nonEmpty, nonEmpty).Sample((topic, group) =>
        {
            writer.Reset();
            bool representable = (LineProtocolSyntax.CheckTagValue(topic) == NameProblem.None) && (LineProtocolSyntax.CheckTagValue(group) == NameProblem.None);

            writer.BeginLine(M("kafka_consumergroup"));
            try
            {
                writer.Tag(T("consumergroup"), group);
                writer.Tag(T("partition"), 7);
                writer.Tag(T("topic"), topic);
                writer.Field(F("lag"), 5L);
                writer.EndLine(123);
            }
            catch (ArgumentException) when (!representable)
            {
                Assert.Equal(0, writer.WrittenSpan.Length);
                return;
            }

            Assert.True(representable, "the writer wrote a name the syntax check refuses");
            ParsedLine line = Assert.Single(StrictLineParser.ParseAll(writer.WrittenSpan));
            Assert.Equal("kafka_consumergroup", line.Measurement);
            Assert.Equal(
                [new("consumergroup", group), new("partition", "7"), new("topic", topic)],
                line.Tags);
            Assert.Equal(5L, line.Field("lag"));
            Assert.Equal(123, line.Timestamp);
        }, iter: 3000, threads: 1);
    }

    /// <summary>
    /// The refusals are not over-cautious: a name is refused exactly when plain escaping
    /// (backslash before , = and space) would not read back as the same string.
    /// </summary>
    [Fact]
    public void A_name_is_refused_exactly_when_plain_escaping_would_not_read_back()
    {
        HostileName.Where(name => name.Length > 0).Sample(name =>
        {
            string escaped = name.Replace(",", "\\,").Replace("=", "\\=").Replace(" ", "\\ ");
            string line = Utf8WithReplacement.GetString(Utf8WithReplacement.GetBytes($"m,t={escaped},u=1 v=1i 1"));
            bool readsBack;
            try
            {
                readsBack = StrictLineParser.Parse(line).Tag("t") == name;
            }
            catch (FormatException)
            {
                readsBack = false;
            }

            Assert.Equal(readsBack, LineProtocolSyntax.CheckTagValue(name) == NameProblem.None);
        }, iter: 3000, threads: 1);
    }

    [Fact]
    public void Every_representable_string_field_round_trips()
    {
        using var writer = new LineProtocolWriter(64);
        HostileName.Sample(value =>
        {
            writer.Reset();
            writer.BeginLine(M("m"));
            if (LineProtocolSyntax.CheckStringField(value) != NameProblem.None)
            {
                Assert.Throws<ArgumentException>(() => writer.Field(F("s"), value));
                Assert.Equal(0, writer.WrittenSpan.Length);
                return;
            }

            writer.Field(F("s"), value);
            writer.EndLine(1);
            Assert.Equal(value, Assert.Single(StrictLineParser.ParseAll(writer.WrittenSpan)).Field("s"));
        }, iter: 2000, threads: 1);
    }

    [Fact]
    public void Every_finite_double_round_trips_exactly()
    {
        using var writer = new LineProtocolWriter(64);
        Gen.Double.Sample(value =>
        {
            writer.Reset();
            writer.BeginLine(M("m"));
            writer.Field(F("f"), value);
            writer.Field(F("i"), 1L);
            writer.EndLine(1);
            object? parsed = Assert.Single(StrictLineParser.ParseAll(writer.WrittenSpan)).Field("f");
            if (double.IsFinite(value))
            {
                Assert.Equal(value, Assert.IsType<double>(parsed));
            }
            else
            {
                Assert.Null(parsed);
            }
        }, iter: 3000, threads: 1);
    }
}
