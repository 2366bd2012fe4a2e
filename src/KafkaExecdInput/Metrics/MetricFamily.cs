using KafkaExecdInput.LineProtocol;

namespace KafkaExecdInput.Metrics;

/// <summary>
/// One family of metric lines: what it writes (declared next to the code that writes it, so the
/// README table can be checked against it) and which parts of the snapshot it reads.
/// </summary>
/// <remarks>
/// A family is stateless and shared by every builder; what it needs across lines of one gather
/// (sorted lists, the name gate) it takes from the <see cref="GatherView"/>. Adding a family is one
/// new file in Families/ and one line in <see cref="MetricFamilies.All"/>. With sharding (README,
/// Sharding) a family of cluster-wide lines writes only when <see cref="GatherView.OwnsClusterLines"/>,
/// a topic-level one only for <see cref="GatherView.OwnsTopic"/>, so N agents write each line once.
/// </remarks>
/// <param name="name">Stable short name (e.g. <c>topic_partition</c>) by which a user can turn the family off.</param>
/// <param name="needs">The snapshot parts the family reads; a family that is off must not cost their Kafka requests.</param>
/// <param name="lines">Every line shape the family writes, in the order it writes them.</param>
internal abstract class MetricFamily(string name, SnapshotNeeds needs, params MetricLine[] lines)
{
    public string Name { get; } = name;

    public SnapshotNeeds Needs { get; } = needs;

    public IReadOnlyList<MetricLine> Lines { get; } = lines;

    /// <summary>False for the self-metric, which says whether the gather was partial.</summary>
    public virtual bool CanBeTurnedOff => true;

    /// <summary>Writes this family's lines for one gather, in a deterministic order.</summary>
    public abstract void Write(GatherView gather, LineProtocolWriter writer);

    public override string ToString() => Name;
}

/// <summary>A measurement with one tag set and the fields written on it.</summary>
internal sealed class MetricLine
{
    public MetricLine(EncodedName measurement, MetricTag[] tags, params MetricField[] fields)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        for (int i = 1; i < tags.Length; i++)
        {
            // The writer requires tags in ordinal order; declaring them in that order keeps the docs in write order.
            if (string.CompareOrdinal(tags[i - 1].Name, tags[i].Name) >= 0)
            {
                throw new ArgumentException($"Tags of {measurement} must be declared in ordinal order.", nameof(tags));
            }
        }

        Measurement = measurement;
        Tags = tags;
        Fields = fields;
    }

    public EncodedName Measurement { get; }

    public IReadOnlyList<MetricTag> Tags { get; }

    public IReadOnlyList<MetricField> Fields { get; }

    /// <summary>The series name Telegraf's prometheus_client gives the field: <c>measurement_field</c>.</summary>
    public string PrometheusName(MetricField field) => $"{Measurement.Value}_{field.Name}";
}

/// <summary>A tag key and, for the docs, the form of its values (e.g. "host:port"), if not obvious.</summary>
internal sealed class MetricTag(string name, string? valueForm = null)
{
    public EncodedName Key { get; } = EncodedName.TagKey(name);

    public string Name => Key.Value;

    public string? ValueForm { get; } = valueForm;
}

internal enum MetricFieldType
{
    Integer,
    Float,
    String,
}

/// <summary>A field key, the type of its values and a one-line meaning for the docs.</summary>
internal sealed class MetricField
{
    private MetricField(string name, MetricFieldType type, string meaning)
    {
        Key = EncodedName.FieldKey(name);
        Type = type;
        Meaning = meaning;
    }

    public EncodedName Key { get; }

    public string Name => Key.Value;

    public MetricFieldType Type { get; }

    public string Meaning { get; }

    public static MetricField Integer(string name, string meaning) => new(name, MetricFieldType.Integer, meaning);

    public static MetricField Float(string name, string meaning) => new(name, MetricFieldType.Float, meaning);

    public static MetricField String(string name, string meaning) => new(name, MetricFieldType.String, meaning);
}
