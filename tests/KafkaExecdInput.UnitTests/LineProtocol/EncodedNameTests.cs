using System.Text;
using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.UnitTests.LineProtocol;

public sealed class EncodedNameTests
{
    private static readonly EncodedName Measurement = EncodedName.Measurement("my measure,x");
    private static readonly EncodedName Key = EncodedName.TagKey("a key,=");
    private static readonly EncodedName Field = EncodedName.FieldKey("f 1");

    [Fact]
    public void Each_position_escapes_its_own_characters_once()
    {
        using var writer = new LineProtocolWriter();

        writer.BeginLine(Measurement);
        writer.Tag(Key, "v,1");
        writer.Tag(EncodedName.TagKey("z"), 5);
        writer.Field(Field, 3L);
        writer.Field(EncodedName.FieldKey("d"), 0.5);
        writer.Field(EncodedName.FieldKey("s"), "text");
        writer.Field(EncodedName.FieldKey("b"), false);
        writer.EndLine(9);

        Assert.Equal("my\\ measure\\,x,a\\ key\\,\\==v\\,1,z=5 f\\ 1=3i,d=0.5,s=\"text\",b=false 9\n", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void A_name_encoded_for_one_position_is_refused_in_another()
    {
        using var writer = new LineProtocolWriter();
        Assert.Throws<ArgumentException>(() => writer.BeginLine(Key));

        writer.BeginLine(Measurement);
        Assert.Throws<ArgumentException>(() => writer.Tag(Field, "x"));
        Assert.Equal(0, writer.WrittenSpan.Length);
    }

    [Fact]
    public void Encoded_tag_keys_are_still_checked_for_order()
    {
        using var writer = new LineProtocolWriter();
        writer.BeginLine(Measurement);
        writer.Tag(EncodedName.TagKey("topic"), "t");
        Assert.Throws<ArgumentException>(() => writer.Tag(EncodedName.TagKey("partition"), 1));
    }

    [Theory]
    [InlineData("#m")]
    [InlineData("back\\slash")]
    [InlineData("")]
    [InlineData("new\nline")]
    public void Invalid_measurements_cannot_be_encoded(string name)
    {
        Assert.Throws<ArgumentException>(() => EncodedName.Measurement(name));
    }

    [Fact]
    public void Invalid_keys_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => EncodedName.TagKey("ends\\"));
        Assert.Throws<ArgumentException>(() => EncodedName.FieldKey("tab\t"));
        Assert.Throws<ArgumentException>(() => EncodedName.FieldKey("back\\slash"));
        Assert.Throws<ArgumentException>(() => EncodedName.FieldKey(""));
    }
}
