using System.Text;
using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Tests;

/// <summary>The codec against byte vectors from the Kafka protocol guide, not against itself only.</summary>
public class CodecTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(0u, "00")]
    [InlineData(1u, "01")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "8001")]
    [InlineData(300u, "AC02")]
    [InlineData(uint.MaxValue, "FFFFFFFF0F")]
    public void UnsignedVarints(uint value, string hex)
    {
        using var writer = new KafkaWriter();
        writer.WriteUnsignedVarint(value);
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
        var reader = new KafkaReader(Convert.FromHexString(hex));
        Assert.Equal(value, reader.ReadUnsignedVarint());
    }

    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-64L, "7F")]
    [InlineData(64L, "8001")]
    [InlineData(long.MinValue, "FFFFFFFFFFFFFFFFFF01")]
    public void ZigZagVarlongs(long value, string hex)
    {
        using var writer = new KafkaWriter();
        writer.WriteVarlong(value);
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
        var reader = new KafkaReader(Convert.FromHexString(hex));
        Assert.Equal(value, reader.ReadVarlong());
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            writer.Reset();
            writer.WriteVarint((int)value);
            Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
        }
    }

    [Fact]
    public void ClassicAndCompactStringsBytesAndArrays()
    {
        using var writer = new KafkaWriter();
        writer.WriteString("ab");
        writer.WriteNullableString(null);
        writer.WriteArrayLength(-1);
        writer.Flexible = true;
        writer.WriteString("ab");
        writer.WriteNullableString(null);
        writer.WriteArrayLength(2);
        writer.WriteBytes([9]);
        writer.WriteEmptyTaggedFields();
        Assert.Equal("0002" + "6162" + "FFFF" + "FFFFFFFF" + "03" + "6162" + "00" + "03" + "02" + "09" + "00", Convert.ToHexString(writer.WrittenSpan));

        var reader = new KafkaReader(writer.WrittenSpan);
        Assert.Equal("ab", reader.ReadString());
        Assert.Null(reader.ReadNullableString());
        Assert.Equal(-1, reader.ReadArrayLength());
        reader.Flexible = true;
        Assert.Equal("ab", reader.ReadString());
        Assert.Null(reader.ReadNullableString());
        Assert.Throws<MalformedRequestException>(() =>
        {
            var r = new KafkaReader([0x05]); // a compact array of 4 elements in a 1-byte buffer
            r.Flexible = true;
            r.ReadArrayLength();
        });
    }

    [Fact]
    public void TaggedFieldsAreSkippedWholeAndUuidsAreBigEndian()
    {
        var bytes = Convert.FromHexString("02" + "00" + "02" + "AAAA" + "0A" + "01" + "BB" + "2A");
        var reader = new KafkaReader(bytes, flexible: true);
        reader.SkipTaggedFields();
        Assert.Equal(0x2A, reader.ReadInt8());

        var uuid = Convert.FromHexString("0102030405060708090A0B0C0D0E0F10");
        using var writer = new KafkaWriter();
        writer.WriteUuid(new KafkaReader(uuid).ReadUuid());
        Assert.Equal(uuid, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void TruncatedInputIsMalformedNotACrash()
    {
        Assert.Throws<MalformedRequestException>(() => new KafkaReader([0, 5, 0x61]).ReadString());
        Assert.Throws<MalformedRequestException>(() => new KafkaReader([0, 0, 0]).ReadInt32());
        Assert.Throws<MalformedRequestException>(() => new KafkaReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).ReadUnsignedVarint());
    }

    [Fact]
    public void ConsumerProtocolAssignmentRoundTrips()
    {
        TopicPartitionRef[] assignment = [new("a", 0), new("b", 3), new("a", 2)];
        var bytes = ConsumerProtocol.EncodeAssignment(assignment);
        Assert.Equal([new("a", 0), new("a", 2), new("b", 3)], ConsumerProtocol.DecodeAssignment(bytes));
    }
}
