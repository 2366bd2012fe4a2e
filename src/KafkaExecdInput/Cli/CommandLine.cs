using KafkaExecdInput.Configuration;

namespace KafkaExecdInput.Cli;

/// <summary>What the command line asked for.</summary>
/// <param name="Interval">The schedule given with --interval or -poll_interval, if any.</param>
/// <param name="IntervalDisabled">-poll_interval_disabled: collect only on stdin lines, whatever else says otherwise.</param>
internal sealed record CommandLine(
    string? ConfigPath,
    bool Once,
    bool Demo,
    bool ShowVersion,
    bool ShowHelp,
    TimeSpan? Interval,
    bool IntervalDisabled,
    bool Worker)
{
    public const string Usage = """
        Usage: kafka-execd-input [--config PATH | --demo] [--once] [--interval DURATION]

        A Telegraf execd input: each line on stdin starts one collection from Kafka; the metrics
        are written to stdout as Influx line protocol, logs go to stderr.

        Options (one dash or two, "-config PATH" or "--config=PATH", as with Telegraf's Go shim):
          --config PATH        plugin configuration (one [[inputs.kafka]] table; see plugin.conf.sample)
          --demo               collect from a built-in demo Kafka cluster (no Kafka needed)
          --once               collect once, write the metrics, and exit
                               (exit code 1 when the collection was incomplete)
          --interval DURATION  also collect on this schedule, e.g. 30s (for Telegraf's signal = "none")
          -poll_interval DURATION
                               the Go shim's name for --interval (there is no 1s default here:
                               without it the plugin collects only when asked on stdin)
          -poll_interval_disabled
                               collect only when asked on stdin, even if plugin.conf sets interval
          --version            print the version and exit
          --help               print this help and exit

        Exit codes: 0 ok, 1 incomplete --once collection, 2 usage or configuration error,
                    3 the plugin could not start its worker process, 4 stdout was closed.
        """;

    /// <summary>The collection schedule: this command line's, else the configuration file's.</summary>
    public TimeSpan? IntervalOr(TimeSpan? configured) => IntervalDisabled ? null : Interval ?? configured;

    /// <summary>
    /// Parses the arguments the way Go's flag package (and so Telegraf's shim) does: a flag is written
    /// with one dash or two, a value follows as "-name value" or "-name=value", and a boolean flag is
    /// "-name" or "-name=true|false". Throws <see cref="UsageException"/> with a one-line reason.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? configPath = null;
        bool once = false, demo = false, version = false, help = false, worker = false, intervalDisabled = false;
        TimeSpan? interval = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == KafkaExecdInput.Worker.WorkerHost.Flag)
            {
                worker = true;
                continue;
            }
            var flag = Flag.Split(arg) ?? throw new UsageException($"unknown option \"{arg}\"");
            switch (flag.Name)
            {
                case "config":
                    configPath = flag.Value(args, ref i);
                    break;
                case "interval" or "poll_interval":
                    var text = flag.Value(args, ref i);
                    interval = DurationText.TryParse(text, out var parsed) && parsed > TimeSpan.Zero
                        ? parsed
                        : throw new UsageException($"{flag.Spelling}: \"{text}\" is not a positive duration such as 30s or 1m");
                    break;
                case "poll_interval_disabled":
                    intervalDisabled = flag.Bool();
                    break;
                case "once":
                    once = flag.Bool();
                    break;
                case "demo":
                    demo = flag.Bool();
                    break;
                case "version":
                    version = flag.Bool();
                    break;
                case "help" or "h":
                    help = flag.Bool();
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
        return new CommandLine(configPath, once, demo, version, help, interval, intervalDisabled, worker);
    }

    /// <summary>One flag argument: its name without dashes, as spelled (for messages), and an "=value" if given.</summary>
    private readonly record struct Flag(string Name, string Spelling, string? InlineValue)
    {
        /// <summary>Null when <paramref name="arg"/> is not flag syntax (no dash, a lone "-" or "--", or "---x").</summary>
        public static Flag? Split(string arg)
        {
            var dashes = arg.StartsWith("--", StringComparison.Ordinal) ? 2 : arg.StartsWith('-') ? 1 : 0;
            var body = arg[dashes..];
            if (dashes == 0 || body.Length == 0 || body[0] is '-' or '=')
            {
                return null;
            }
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            return equals < 0
                ? new Flag(body, arg, null)
                : new Flag(body[..equals], arg[..(dashes + equals)], body[(equals + 1)..]);
        }

        /// <summary>The flag's value: after "=", else the next argument (which must not be another flag).</summary>
        public string Value(IReadOnlyList<string> args, ref int i)
        {
            if (InlineValue is not null)
            {
                return InlineValue.Length > 0 ? InlineValue : throw new UsageException($"{Spelling} needs a value");
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith('-'))
            {
                throw new UsageException($"{Spelling} needs a value");
            }
            return args[++i];
        }

        /// <summary>A boolean flag: present means true; "=value" takes the words Go's strconv.ParseBool takes.</summary>
        public bool Bool() => InlineValue switch
        {
            null or "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw new UsageException($"{Spelling}: \"{InlineValue}\" is not true or false"),
        };
    }
}

/// <summary>The command line was wrong; the message says how, in one line.</summary>
internal sealed class UsageException(string message) : Exception(message);
