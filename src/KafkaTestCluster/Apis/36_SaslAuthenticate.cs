using KafkaTestCluster.Protocol;

namespace KafkaTestCluster.Apis;

/// <summary>
/// SaslAuthenticate (36): carries one SASL token each way. A failed exchange is answered with
/// SASL_AUTHENTICATION_FAILED and Kafka's message, then the connection is closed.
/// </summary>
internal sealed class SaslAuthenticateApi : ApiHandler
{
    public override ApiKey Key => ApiKey.SaslAuthenticate;

    public override short MinVersion => 0;

    public override short MaxVersion => 2;

    public override short FlexibleFrom => 2;

    public override void Handle(RequestContext context, ref KafkaReader request, KafkaWriter response)
    {
        var token = request.ReadBytes();
        request.SkipTaggedFields();
        var session = context.Session;

        short error;
        string? message;
        byte[] reply = [];
        if (context.InjectedError != ErrorCodes.None)
        {
            (error, message) = (context.InjectedError, ErrorCodes.DefaultMessage(context.InjectedError));
            context.CloseAfterResponse = true;
        }
        else if (session.Exchange is null || session.Authenticated || session.RawTokenFrames)
        {
            (error, message) = (ErrorCodes.IllegalSaslState, "Unexpected SaslAuthenticate request");
            context.CloseAfterResponse = true;
        }
        else
        {
            var step = session.Exchange.Evaluate(token);
            if (step.Failed)
            {
                (error, message) = (ErrorCodes.SaslAuthenticationFailed, step.ErrorMessage);
                context.CloseAfterResponse = true;
            }
            else
            {
                (error, message, reply) = (ErrorCodes.None, null, step.Response);
                if (step.Complete)
                {
                    session.Authenticated = true;
                    session.Principal = step.Principal;
                }
            }
        }

        response.WriteInt16(error);
        response.WriteNullableString(message);
        response.WriteBytes(reply);
        if (context.Version >= 1)
        {
            response.WriteInt64(0); // session lifetime: no re-authentication required
        }

        response.WriteEmptyTaggedFields();
    }
}
