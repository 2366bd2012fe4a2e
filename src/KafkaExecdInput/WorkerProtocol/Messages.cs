using System.Text.Json.Serialization;

namespace KafkaExecdInput.WorkerProtocol;

/// <summary>What the parent sends the worker. Each is one frame; <c>kind</c> names its type on the wire.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = MessageCodec.KindProperty)]
[JsonDerivedType(typeof(StartWorker), "start")]
[JsonDerivedType(typeof(GatherRequest), "gather")]
internal abstract record ParentMessage;

/// <summary>The first message to a new worker; it answers <see cref="WorkerReady"/> or <see cref="WorkerFatal"/>.</summary>
/// <param name="ProtocolVersion">
/// The parent's <see cref="MessageCodec.ProtocolVersion"/>. The worker is started from the executable on
/// disk, which an upgrade can replace under a running parent; the worker refuses a version it does not speak.
/// </param>
internal sealed record StartWorker(int ProtocolVersion, ReaderSettings Settings) : ParentMessage;

/// <summary>What the worker sends the parent: control messages and gather data (<see cref="GatherPart"/>).</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = MessageCodec.KindProperty)]
[JsonDerivedType(typeof(WorkerReady), "ready")]
[JsonDerivedType(typeof(WorkerFatal), "fatal")]
[JsonDerivedType(typeof(GatherFailure), "error")]
[JsonDerivedType(typeof(GatherDone), "done")]
[JsonDerivedType(typeof(MetadataPart), "metadata")]
[JsonDerivedType(typeof(GroupsPart), "groups")]
[JsonDerivedType(typeof(GroupOffsetsPart), "offsets")]
[JsonDerivedType(typeof(WatermarksPart), "watermarks")]
[JsonDerivedType(typeof(RecordTimestampsPart), "records")]
[JsonDerivedType(typeof(ClusterDescriptionPart), "cluster")]
[JsonDerivedType(typeof(TopicConfigsPart), "topic_configs")]
internal abstract record WorkerMessage;

/// <summary>About the worker or the gather, not data of the snapshot.</summary>
internal abstract record ControlMessage : WorkerMessage;

/// <summary>The worker's Kafka client exists; it waits for requests.</summary>
internal sealed record WorkerReady : ControlMessage;

/// <summary>
/// The worker could not start: the client rejected the configuration (a user's mistake, exit 2)
/// or cannot run on this host at all (an installation problem, exit 3).
/// </summary>
internal sealed record WorkerFatal(string Message, bool IsConfigurationError) : ControlMessage;

/// <summary>Something the current gather could not read; the gather goes on.</summary>
internal sealed record GatherFailure(GatherError Error) : ControlMessage;

/// <summary>
/// The worker finished the request (whatever it could read has been sent). <paramref name="ReplaceWorker"/>
/// asks the parent to retire this worker before the next gather: its Kafka client is in a state that
/// librdkafka 2.16 is known to crash from (Kafka/ClientHealth.cs).
/// </summary>
/// <param name="GatherId">The request's <see cref="GatherRequest.GatherId"/>, so a late answer to an old request is recognised.</param>
internal sealed record GatherDone(int GatherId, bool ReplaceWorker = false) : ControlMessage;
