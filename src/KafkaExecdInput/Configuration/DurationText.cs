using System.Globalization;

namespace KafkaExecdInput.Configuration;

/// <summary>
/// Durations as text, in the syntax Telegraf uses, which is Go's time.ParseDuration syntax: one or
/// more decimal numbers, each with a unit (ns, us, µs, ms, s, m, h), e.g. "10s", "1m30s", "1.5h",
/// "500ms". A bare number without a unit is refused, as Go refuses it (TOML numbers, not strings,
/// mean seconds; the loader handles those).
/// </summary>
internal static class DurationText
{
    private static readonly (string Unit, double Nanoseconds)[] Units =
    [
        ("ns", 1),
        ("us", 1e3),
        ("µs", 1e3), // U+00B5 micro sign
        ("μs", 1e3), // U+03BC Greek mu
        ("ms", 1e6),
        ("s", 1e9),
        ("m", 60e9),
        ("h", 3600e9),
    ];

    public static bool TryParse(string text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why, e.g. "has a number without a unit".</summary>
    public static bool TryParse(string text, out TimeSpan duration, out string? problem)
    {
        duration = TimeSpan.Zero;
        problem = null;
        ReadOnlySpan<char> rest = text.AsSpan();
        bool negative = false;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+'))
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest.SequenceEqual("0"))
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            problem = "is empty";
            return false;
        }

        double nanoseconds = 0;
        while (!rest.IsEmpty)
        {
            int numberLength = 0;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || rest[numberLength] == '.'))
            {
                numberLength++;
            }

            if (numberLength == 0 || !double.TryParse(rest[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
            {
                problem = "is not a duration (write e.g. \"10s\", \"500ms\", \"1m30s\")";
                return false;
            }

            rest = rest[numberLength..];
            int unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]) && rest[unitLength] != '.')
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                problem = "has a number without a unit (write e.g. \"10s\")";
                return false;
            }

            ReadOnlySpan<char> unit = rest[..unitLength];
            double scale = 0;
            foreach ((string name, double nanos) in Units)
            {
                if (unit.SequenceEqual(name))
                {
                    scale = nanos;
                }
            }

            if (scale == 0)
            {
                problem = $"has an unknown unit \"{unit}\" (use ns, us, ms, s, m or h)";
                return false;
            }

            nanoseconds += number * scale;
            rest = rest[unitLength..];
        }

        if (nanoseconds / 100 > long.MaxValue)
        {
            problem = "is too long";
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(nanoseconds / 100)) * (negative ? -1 : 1);
        return true;
    }

    /// <summary>A compact Go-style rendering ("1m30s", "500ms") for messages.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond != 0 && duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var parts = new System.Text.StringBuilder();
        if (duration.Days > 0 || duration.Hours > 0)
        {
            parts.Append((int)duration.TotalHours).Append('h');
        }

        if (duration.Minutes > 0)
        {
            parts.Append(duration.Minutes).Append('m');
        }

        double seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0)
        {
            parts.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        }

        return parts.ToString();
    }
}
