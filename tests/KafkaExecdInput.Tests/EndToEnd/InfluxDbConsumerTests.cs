using System.Text;
using KafkaExecdInput.Tests.Support;
using KafkaExecdInput.UnitTests.Support;

namespace KafkaExecdInput.Tests.EndToEnd;

/// <summary>
/// A real line-protocol consumer: InfluxDB 1.6 accepts the demo's whole output in one write
/// (no partial write) and gives back the same values.
/// </summary>
public class InfluxDbConsumerTests
{
    [InfluxdFact]
    public async Task Influxdb_accepts_every_line_of_a_demo_gather_and_returns_its_values()
    {
        var run = await PluginProcess.RunAsync(["--demo", "--once"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Blocks.Parse(run.Stdout);

        using var influx = await InfluxDbServer.StartAsync();
        await influx.CreateDatabaseAsync("kafka");
        var (status, body) = await influx.WriteAsync("kafka", Encoding.UTF8.GetBytes(run.Stdout));

        Assert.True((int)status == 204, $"influxd answered {(int)status}: {body}");
        var partition = lines.Single("kafka_topic_partition", ("partition", "3"), ("topic", "orders"));
        var rows = await influx.QueryAsync("kafka",
            "SELECT current_offset, leader FROM kafka_topic_partition WHERE topic = 'orders' AND \"partition\" = '3'");
        var row = Assert.Single(rows);
        Assert.Equal(partition.Int("current_offset"), row["current_offset"].GetInt64());
        Assert.Equal(partition.Int("leader"), row["leader"].GetInt64());

        var lagRows = await influx.QueryAsync("kafka",
            "SELECT lag FROM kafka_consumergroup WHERE consumergroup = 'audit-archiver' AND topic = 'audit-log' AND \"partition\" = '0'");
        Assert.Equal(
            lines.Single("kafka_consumergroup", ("consumergroup", "audit-archiver"), ("partition", "0"), ("topic", "audit-log")).Int("lag"),
            Assert.Single(lagRows)["lag"].GetInt64());

        var stateRows = await influx.QueryAsync("kafka",
            "SELECT code FROM kafka_consumergroup_state WHERE consumergroup = 'inventory-sync' AND state = ''");
        Assert.Equal(
            lines.Single("kafka_consumergroup_state", ("consumergroup", "inventory-sync")).Int("code"),
            Assert.Single(stateRows)["code"].GetInt64());
        var stateInfo = await influx.QueryAsync("kafka",
            "SELECT info FROM kafka_consumergroup_state WHERE consumergroup = 'inventory-sync' AND state = 'PreparingRebalance'");
        Assert.Equal(1, Assert.Single(stateInfo)["info"].GetInt64());

        var counted = await influx.QueryAsync("kafka", "SELECT count(info) FROM kafka_broker");
        Assert.Equal(lines.Count(l => l.Measurement == "kafka_broker"), Assert.Single(counted)["count"].GetInt64());
    }
}
