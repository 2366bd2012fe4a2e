using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.UnitTests.LineProtocol;

/// <summary>Short names for encoding a measurement (M), tag key (T) or field key (F) in tests.</summary>
internal static class Names
{
    public static EncodedName M(string measurement) => EncodedName.Measurement(measurement);

    public static EncodedName T(string key) => EncodedName.TagKey(key);

    public static EncodedName F(string key) => EncodedName.FieldKey(key);
}
