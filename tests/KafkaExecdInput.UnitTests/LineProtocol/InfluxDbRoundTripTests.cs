using System.Net;
using System.Text.Json;
using KafkaExecdInput.LineProtocol;
using KafkaExecdInput.UnitTests.Support;
using static KafkaExecdInput.UnitTests.LineProtocol.Names;

namespace KafkaExecdInput.UnitTests.LineProtocol;

/// <summary>A real line-protocol consumer (influxd 1.6) reads back exactly what the writer meant.</summary>
public sealed class InfluxDbRoundTripTests
{
    private static readonly string[] TrickyNames =
    [
        "plain",
        "with space",
        "comma,inside",
        "equals=inside",
        " leading and trailing ",
        @"back\slash",
        @"\leading-backslash",
        @"double\\backslash",
        @"backslash\,comma",
        @"backslash\ space",
        @"backslash\=equals",
        @"three\\\,deep",
        "quote\"inside",
        "\"quoted\"",
        "#not-a-comment",
        "ünïcødé € 中文",
        "emoji 😀 𝄞",
        "mixed\\ ,=\" all",
    ];

    [InfluxdFact]
    public async Task Tag_values_and_fields_round_trip_through_influxd()
    {
        using InfluxDbServer server = await InfluxDbServer.StartAsync();
        await server.CreateDatabaseAsync("roundtrip");

        using var writer = new LineProtocolWriter();
        for (int i = 0; i < TrickyNames.Length; i++)
        {
            Assert.True(LineProtocolSyntax.CheckTagValue(TrickyNames[i]) == NameProblem.None, TrickyNames[i]);
            writer.BeginLine(M("kafka_consumergroup"));
            writer.Tag(T("case"), i);
            writer.Tag(T("consumergroup"), TrickyNames[i]);
            writer.Tag(T("topic"), "t " + TrickyNames[i]);
            writer.Field(F("lag"), (long)i);
            writer.Field(F("ratio"), 1e16 + i);
            writer.Field(F("note"), TrickyNames[i]);
            writer.EndLine(1_000_000_000L + i);
        }

        (HttpStatusCode status, string body) = await server.WriteAsync("roundtrip", writer.WrittenMemory);
        Assert.True(status == HttpStatusCode.NoContent, $"influxd answered {(int)status}: {body}");

        var rows = await server.QueryAsync("roundtrip", "SELECT * FROM kafka_consumergroup");
        Assert.Equal(TrickyNames.Length, rows.Count);
        foreach (IReadOnlyDictionary<string, JsonElement> row in rows)
        {
            int i = int.Parse(row["case"].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(TrickyNames[i], row["consumergroup"].GetString());
            Assert.Equal("t " + TrickyNames[i], row["topic"].GetString());
            Assert.Equal(TrickyNames[i], row["note"].GetString());
            Assert.Equal(i, row["lag"].GetInt64());
            Assert.Equal(1e16 + i, row["ratio"].GetDouble());
            Assert.Equal(1_000_000_000L + i, row["time"].GetInt64());
        }
    }

    [InfluxdFact]
    public async Task Influxd_rejects_what_the_writer_refuses_to_write()
    {
        // Evidence for the trailing-backslash rule: written naively it escapes the delimiter.
        using InfluxDbServer server = await InfluxDbServer.StartAsync();
        await server.CreateDatabaseAsync("refused");

        (HttpStatusCode status, _) = await server.WriteAsync("refused", "m,t=ends\\ v=1i 1\n"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(NameProblem.TrailingBackslash, LineProtocolSyntax.CheckTagValue("ends\\"));
    }
}
