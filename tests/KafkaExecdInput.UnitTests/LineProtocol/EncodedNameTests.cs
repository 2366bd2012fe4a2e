using System.Text;
using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.UnitTests.LineProtocol;

public sealed class EncodedNameTests
{
    private static readonly EncodedName Measurement = EncodedName.Measurement("my measure,x");
    private static readonly EncodedName Key = EncodedName.TagKey("a key,=");
    private static readonly EncodedName Field = EncodedName.FieldKey("f 1");

    [Fact]
    public void Encoded_names_write_the_same_bytes_as_strings()
    {
        using var byString = new LineProtocolWriter();
        using var byEncoded = new LineProtocolWriter();

        byString.BeginLine(Measurement.Value);
        byString.Tag(Key.Value, "v,1");
        byString.Tag("z", 5);
        byString.Field(Field.Value, 3L);
        byString.Field("d", 0.5);
        byString.Field("s", "text");
        byString.Field("b", false);
        byString.EndLine(9);

        byEncoded.BeginLine(Measurement);
        byEncoded.Tag(Key, "v,1");
        byEncoded.Tag(EncodedName.TagKey("z"), 5);
        byEncoded.Field(Field, 3L);
        byEncoded.Field(EncodedName.FieldKey("d"), 0.5);
        byEncoded.Field(EncodedName.FieldKey("s"), "text");
        byEncoded.Field(EncodedName.FieldKey("b"), false);
        byEncoded.EndLine(9);

        Assert.Equal("my\\ measure\\,x,a\\ key\\,\\==v\\,1,z=5 f\\ 1=3i,d=0.5,s=\"text\",b=false 9\n", Encoding.UTF8.GetString(byEncoded.WrittenSpan));
        Assert.Equal(byString.WrittenSpan.ToArray(), byEncoded.WrittenSpan.ToArray());
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
    public void Invalid_measurements_cannot_be_encoded(string name)
    {
        Assert.Throws<ArgumentException>(() => EncodedName.Measurement(name));
    }

    [Fact]
    public void Invalid_keys_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => EncodedName.TagKey("ends\\"));
        Assert.Throws<ArgumentException>(() => EncodedName.FieldKey("tab\t"));
    }
}
