using System.Buffers;
using System.Text;

namespace KafkaExecdInput.LineProtocol;

/// <summary>Where in a line an <see cref="EncodedName"/> may be used; each position escapes differently.</summary>
internal enum NameKind
{
    Measurement,
    TagKey,
    FieldKey,
}

/// <summary>
/// A measurement, tag key or field key validated and escaped to UTF-8 once, like
/// <c>System.Text.Json.JsonEncodedText</c>: the plugin's names are constants, so encoding them on
/// every line would be most of the writer's work for nothing.
/// </summary>
internal sealed class EncodedName
{
    private readonly byte[] _utf8;

    private EncodedName(string value, NameKind kind, byte[] utf8)
    {
        Value = value;
        Kind = kind;
        _utf8 = utf8;
    }

    public string Value { get; }

    public NameKind Kind { get; }

    /// <summary>The escaped UTF-8 form, ready to be copied into a line.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    public static EncodedName Measurement(string name)
    {
        if (!LineProtocolSyntax.IsValidMeasurement(name))
        {
            throw new ArgumentException($"'{name}' is not a valid measurement name.", nameof(name));
        }

        return new(name, NameKind.Measurement, Escape(name, LineProtocolSyntax.MeasurementEscapes));
    }

    public static EncodedName TagKey(string key)
    {
        NameProblem problem = LineProtocolSyntax.CheckTagValue(key);
        if (problem != NameProblem.None)
        {
            throw new ArgumentException($"Tag key '{key}' {LineProtocolSyntax.Describe(problem)}.", nameof(key));
        }

        return new(key, NameKind.TagKey, Escape(key, LineProtocolSyntax.KeyEscapes));
    }

    public static EncodedName FieldKey(string key)
    {
        if (!LineProtocolSyntax.IsPlainIdentifier(key))
        {
            throw new ArgumentException($"'{key}' is not a valid field key.", nameof(key));
        }

        return new(key, NameKind.FieldKey, Escape(key, LineProtocolSyntax.KeyEscapes));
    }

    public override string ToString() => Value;

    private static byte[] Escape(string text, SearchValues<char> escaped)
    {
        var builder = new StringBuilder(text.Length + 4);
        foreach (char c in text)
        {
            if (escaped.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
