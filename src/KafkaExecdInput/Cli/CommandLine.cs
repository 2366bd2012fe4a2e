using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.Cli;

/// <summary>What the command line asked for.</summary>
internal sealed record CommandLine(
    string? ConfigPath,
    bool Once,
    bool Demo,
    bool ShowVersion,
    bool ShowHelp,
    TimeSpan? Interval,
    bool Worker)
{
    public const string Usage = """
        Usage: kafka-execd-input [--config PATH | --demo] [--once] [--interval DURATION]

        A Telegraf execd input: each line on stdin starts one collection from Kafka; the metrics
        are written to stdout as Influx line protocol, logs go to stderr.

        Options:
          --config PATH        plugin configuration (one [[inputs.kafka]] table; see plugin.conf.sample)
          --demo               collect from a built-in demo Kafka cluster (no Kafka needed)
          --once               collect once, write the metrics, and exit
                               (exit code 1 when the collection was incomplete)
          --interval DURATION  also collect on this schedule, e.g. 30s (for Telegraf's signal = "none")
          --version            print the version and exit
          --help               print this help and exit

        Exit codes: 0 ok, 1 incomplete --once collection, 2 usage or configuration error,
                    3 the plugin could not start its worker process, 4 stdout was closed.
        """;

    /// <summary>Parses the arguments; throws <see cref="UsageException"/> with a one-line reason.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? configPath = null;
        bool once = false, demo = false, version = false, help = false, worker = false;
        TimeSpan? interval = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inlineValue) = SplitInlineValue(arg);
            switch (name)
            {
                case "--config":
                    configPath = ValueOf(name, inlineValue, args, ref i);
                    break;
                case "--interval":
                    var text = ValueOf(name, inlineValue, args, ref i);
                    interval = DurationText.TryParse(text, out var parsed) && parsed > TimeSpan.Zero
                        ? parsed
                        : throw new UsageException($"--interval: \"{text}\" is not a positive duration such as 30s or 1m");
                    break;
                case "--once":
                    once = true;
                    break;
                case "--demo":
                    demo = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case KafkaExecdInput.Worker.WorkerHost.Flag:
                    worker = true;
                    break;
                default:
                    throw new UsageException($"unknown option \"{arg}\"");
            }
        }
        if (demo && configPath is not null)
        {
            throw new UsageException("--demo and --config cannot be combined: the demo brings its own cluster");
        }
        if (!demo && configPath is null && !version && !help && !worker)
        {
            throw new UsageException("no configuration: pass --config PATH (or --demo to try the plugin without Kafka)");
        }
        return new CommandLine(configPath, once, demo, version, help, interval, worker);
    }

    private static (string Name, string? Value) SplitInlineValue(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string ValueOf(string name, string? inlineValue, IReadOnlyList<string> args, ref int i)
    {
        if (inlineValue is not null)
        {
            return inlineValue;
        }
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{name} needs a value");
        }
        return args[++i];
    }
}

/// <summary>The command line was wrong; the message says how, in one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
