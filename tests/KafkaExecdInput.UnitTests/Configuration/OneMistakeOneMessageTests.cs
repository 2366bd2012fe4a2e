using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.UnitTests.Configuration;

/// <summary>
/// One mistake in the file is one message: neither the TOML parser's follow-up diagnostics nor a
/// "required" rule may repeat a mistake already reported as a bad value (found by the process-level
/// fault matrix, Faults/BadConfigTests).
/// </summary>
public sealed class OneMistakeOneMessageTests : IDisposable
{
    private const string Table = "[[inputs.kafka]]\nbrokers = [\"k:1\"]\n";

    private readonly TempConfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("timeout = \"10s\n", ":3: invalid TOML: ")]
    [InlineData("topic_include = [\"a\",\n", ": invalid TOML: ")]
    [InlineData("client_id = 'x\n", ":3: invalid TOML: ")]
    [InlineData("timeout = 10s\n", ":3: invalid TOML: ")]
    public void A_syntax_error_is_one_message(string body, string expected)
    {
        var error = Assert.Single(_dir.Errors(Table + body));

        Assert.StartsWith(_dir.ConfigPath, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sasl_mechanism = \"PLAIN\"\nsasl_username = \"u\"\nsasl_password = [\"pw\"]\n", "inputs.kafka.sasl_password: expected a string, got an array")]
    [InlineData("sasl_mechanism = \"SCRAM-SHA-256\"\nsasl_username = 7\nsasl_password = \"pw\"\n", "inputs.kafka.sasl_username: expected a string, got an integer")]
    [InlineData("sasl_mechanism = \"GSSAPI\"\nsasl_username = true\nsasl_gssapi_realm = \"EXAMPLE.COM\"\n", "inputs.kafka.sasl_username: expected a string, got a boolean")]
    [InlineData("sasl_mechanism = \"OAUTHBEARER\"\nsasl_oauthbearer_client_id = \"c\"\nsasl_oauthbearer_client_secret = 5\nsasl_oauthbearer_token_endpoint_url = \"https://idp/token\"\n", "inputs.kafka.sasl_oauthbearer_client_secret: expected a string, got an integer")]
    [InlineData("tls_cert = \"kafka.conf\"\ntls_key = [\"kafka.conf\"]\n", "inputs.kafka.tls_key: expected a string, got an array")]
    [InlineData("tls_key = 1\ntls_key_pwd = \"pw\"\n", "inputs.kafka.tls_key: expected a string, got an integer")]
    [InlineData("sasl_mechanism = \"OAUTHBEARER\"\nsasl_access_token = 5\n", "inputs.kafka.sasl_access_token: expected a string, got an integer")]
    [InlineData("sasl_mechanism = \"OAUTHBEARER\"\nsasl_oauthbearer_client_id = \"c\"\nsasl_oauthbearer_client_secret = \"s\"\nsasl_oauthbearer_token_endpoint_url = \"idp/token\"\n", "inputs.kafka.sasl_oauthbearer_token_endpoint_url: \"idp/token\" is not an http(s) URL")]
    public void A_required_key_with_a_bad_value_is_reported_once_as_a_bad_value(string body, string expected)
    {
        var error = Assert.Single(_dir.Errors(Table + body));

        Assert.EndsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_required_value_is_still_missing()
    {
        var error = Assert.Single(_dir.Errors(Table + "sasl_mechanism = \"PLAIN\"\nsasl_username = \"u\"\nsasl_password = \"\"\n"));

        Assert.EndsWith("inputs.kafka.sasl_password: is required with sasl_mechanism = \"PLAIN\"", error, StringComparison.Ordinal);
    }
}
