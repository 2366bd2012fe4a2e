using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// SaslHandshake (17): picks the mechanism. v0 means the tokens that follow are bare frames; v1 means they
/// come in SaslAuthenticate requests. An unknown mechanism is answered with the enabled list, then the
/// connection is closed, as Kafka does.
/// </summary>
internal sealed class SaslHandshakeApi : ApiHandler
{
    public override ApiKey Key => ApiKey.SaslHandshake;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    public override short FlexibleFrom => NeverFlexible;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var mechanism = request.ReadString();
        var session = context.Session;
        var sasl = session.Sasl;
        var mechanisms = sasl?.Mechanisms ?? [];
        short error;
        if (context.InjectedError != ErrorCodes.None)
        {
            error = context.InjectedError;
        }
        else if (sasl is null || session.Authenticated || session.Exchange is not null)
        {
            error = ErrorCodes.IllegalSaslState;
        }
        else if (sasl.Begin(mechanism) is { } exchange)
        {
            error = ErrorCodes.None;
            session.Exchange = exchange;
            session.RawTokenFrames = context.Version == 0;
        }
        else
        {
            error = ErrorCodes.UnsupportedSaslMechanism;
            context.CloseAfterResponse = true;
        }

        response.WriteInt16(error);
        response.WriteArrayLength(mechanisms.Count);
        foreach (var name in mechanisms)
        {
            response.WriteString(name);
        }
    }
}
