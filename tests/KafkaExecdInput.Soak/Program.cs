using System.Globalization;
using KafkaExecdInput.Soak;

// Soak: many gathers of the built plugin against the test cluster with random faults.
//   dotnet run -c Release --project tests/KafkaExecdInput.Soak -- [--gathers 1000] [--topics 1000]
//     [--partitions 10] [--groups 1000] [--fault-rate 0.2] [--seed 1] [--timeout 10] [--request-timeout 2]
//     [--csv samples.csv]
// Exit code 0 when no violation was found (invalid output, a dead plugin, an incomplete gather without
// a fault, unprefixed stderr), 1 otherwise.
var options = new SoakOptions { Progress = Console.WriteLine };
string? csvPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
    double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--gathers": options = options with { Gathers = Int() }; break;
        case "--topics": options = options with { Topics = Int() }; break;
        case "--partitions": options = options with { PartitionsPerTopic = Int() }; break;
        case "--groups": options = options with { Groups = Int() }; break;
        case "--fault-rate": options = options with { FaultRate = Number() }; break;
        case "--seed": options = options with { Seed = Int() }; break;
        case "--timeout": options = options with { Timeout = TimeSpan.FromSeconds(Number()) }; break;
        case "--request-timeout": options = options with { RequestTimeout = TimeSpan.FromSeconds(Number()) }; break;
        case "--sample-every": options = options with { SampleEvery = Int() }; break;
        case "--csv": csvPath = Next(); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var report = await SoakRun.RunAsync(options, cancel.Token);
Console.WriteLine();
Console.Write(report.Format());
if (csvPath is not null)
{
    await File.WriteAllTextAsync(csvPath, report.SamplesCsv());
    Console.WriteLine($"samples: {csvPath}");
}
return report.Violations.Count == 0 ? 0 : 1;
