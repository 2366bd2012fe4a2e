using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>Which groups' committed offsets a <see cref="GatherRequest"/> asks for.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = MessageCodec.KindProperty)]
[JsonDerivedType(typeof(AllListed), "all")]
[JsonDerivedType(typeof(None), "none")]
[JsonDerivedType(typeof(These), "these")]
internal abstract record OffsetGroupSelection
{
    public static readonly OffsetGroupSelection All = new AllListed();

    public static readonly OffsetGroupSelection Nothing = new None();

    /// <summary>The group ids to fetch, given the groups this gather listed (and recovered).</summary>
    public abstract IReadOnlyList<string> Resolve(IReadOnlyList<string> listed);

    /// <summary>Every group the gather lists, and every known group the listing missed.</summary>
    public sealed record AllListed : OffsetGroupSelection
    {
        public override IReadOnlyList<string> Resolve(IReadOnlyList<string> listed) => listed;
    }

    /// <summary>No committed offsets (the last attempt after crashes gives them up).</summary>
    public sealed record None : OffsetGroupSelection
    {
        public override IReadOnlyList<string> Resolve(IReadOnlyList<string> listed) => [];
    }

    /// <summary>Exactly these groups (a resumed gather: the listed groups whose offsets had not arrived).</summary>
    public sealed record These(IReadOnlyList<string> GroupIds) : OffsetGroupSelection
    {
        public override IReadOnlyList<string> Resolve(IReadOnlyList<string> listed) => GroupIds;
    }
}
