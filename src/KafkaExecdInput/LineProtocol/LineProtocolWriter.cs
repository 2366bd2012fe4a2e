using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace KafkaExecdInput.LineProtocol;

/// <summary>
/// Writes Influx line protocol as UTF-8 into a reusable buffer, one line at a time:
/// <c>BeginLine</c>, then <c>Tag</c>s, then <c>Field</c>s, then <c>EndLine</c>.
/// </summary>
/// <remarks>
/// <para>Modelled on <c>Utf8JsonWriter</c>: characters are encoded straight into the buffer and
/// numbers formatted in place, so once the buffer has grown to the size of a gather, writing
/// allocates nothing.</para>
/// <para>Measurements and keys are <see cref="EncodedName"/>s, validated and escaped once when the
/// name is declared; only values are checked and escaped per line.</para>
/// <para>The writer enforces the grammar instead of trusting its callers: tags come before fields,
/// tag keys must be given in strictly increasing ordinal order (Influx's canonical order, which
/// also rules out duplicate keys — the caller sorts, because the caller knows its keys and sorting
/// here would cost every line), a tag with an empty value is left out, NaN and infinities are left
/// out, and a line that ends without any field is dropped. Any misuse, or a name that
/// <see cref="LineProtocolSyntax"/> says cannot be represented, throws after removing the line in
/// progress, so <see cref="WrittenSpan"/> only ever holds complete, valid lines. Callers that must
/// not throw check <see cref="LineProtocolSyntax.CheckTagValue"/> first.</para>
/// </remarks>
internal sealed class LineProtocolWriter : IDisposable
{
    public const int DefaultInitialCapacity = 64 * 1024;

    // A long needs at most 20 characters; a double's shortest round-trip form at most 24.
    private const int MaxNumberLength = 32;

    private readonly PooledByteBuffer _buffer;
    private readonly byte[] _formattedTimestampBytes = new byte[MaxNumberLength];
    private LineState _state;
    private int _lineStart;
    private int _fieldCount;
    private string? _previousTagKey;
    private long _formattedTimestamp;
    private int _formattedTimestampLength;

    public LineProtocolWriter(int initialCapacity = DefaultInitialCapacity)
    {
        _buffer = new PooledByteBuffer(initialCapacity);
    }

    private enum LineState
    {
        Idle,
        Tags,
        Fields,
    }

    /// <summary>
    /// Once the buffer holds this much, the complete lines in it go to the spill stream before the next
    /// line starts (<see cref="SpillTo"/>): at L a gather's block is 91 MB, which the buffer would
    /// otherwise hold whole, and keep between gathers.
    /// </summary>
    public const int SpillThreshold = 1 << 20;

    private Stream? _spill;

    /// <summary>
    /// Sends complete lines to <paramref name="stream"/> as the buffer fills (null: keep them all). The
    /// line last written always stays in the buffer, so <see cref="WrittenSpan"/> is never empty after
    /// a write; what it holds is the rest of the block, after the spilled part.
    /// A failed write throws <see cref="OutputClosedException"/>.
    /// </summary>
    public void SpillTo(Stream? stream) => _spill = stream;

    /// <summary>Bytes of complete lines sent to the spill stream since the last <see cref="Reset"/>.</summary>
    public long BytesSpilled { get; private set; }

    /// <summary>The complete lines written since the last <see cref="Reset"/> and not spilled, each ending in '\n'.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.Written(CompleteLength);

    /// <inheritdoc cref="WrittenSpan"/>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.WrittenMemory(CompleteLength);

    /// <summary>Number of complete lines since the last <see cref="Reset"/>.</summary>
    public int LinesWritten { get; private set; }

    private int CompleteLength => _state == LineState.Idle ? _buffer.Length : _lineStart;

    /// <summary>Forgets all written lines (and any line in progress) but keeps the buffer.</summary>
    public void Reset()
    {
        _buffer.Truncate(0);
        _state = LineState.Idle;
        _lineStart = 0;
        LinesWritten = 0;
        BytesSpilled = 0;
    }

    public void BeginLine(EncodedName measurement)
    {
        StartLine();
        RequireKind(measurement, NameKind.Measurement);
        _buffer.Write(measurement.Utf8);
    }

    /// <summary>Adds a tag; an empty value leaves the tag out (Influx has no empty tag values).</summary>
    public void Tag(EncodedName key, string value)
    {
        RequireKind(key, NameKind.TagKey);
        StartTag(key.Value);
        if (TagValueIsWritable(key.Value, value))
        {
            WriteKey((byte)',', key);
            WriteEscaped(value, LineProtocolSyntax.KeyEscapes);
        }
    }

    /// <summary>Adds a tag whose value is a number, formatted without allocating a string.</summary>
    public void Tag(EncodedName key, long value)
    {
        RequireKind(key, NameKind.TagKey);
        StartTag(key.Value);
        WriteKey((byte)',', key);
        WriteInteger(value);
    }

    public void Field(EncodedName key, long value)
    {
        StartField(key);
        WriteIntegerField(value);
    }

    /// <summary>Adds a float field in shortest round-trip form; NaN and infinities are left out.</summary>
    public void Field(EncodedName key, double value)
    {
        if (!double.IsFinite(value))
        {
            EnsureFieldAllowed(key);
            return;
        }

        StartField(key);
        WriteFloat(value);
    }

    public void Field(EncodedName key, bool value)
    {
        StartField(key);
        _buffer.Write(value ? "true"u8 : "false"u8);
    }

    public void Field(EncodedName key, string value)
    {
        EnsureFieldAllowed(key);
        EnsureStringFieldWritable(key.Value, value);
        StartField(key);
        WriteStringValue(value);
    }

    /// <summary>
    /// Finishes the line with its timestamp in nanoseconds. Returns false, and drops the line,
    /// when it has no field (for example because its only value was NaN).
    /// </summary>
    public bool EndLine(long timestampNs)
    {
        if (_state == LineState.Idle)
        {
            throw new InvalidOperationException("EndLine called without BeginLine.");
        }

        if (_fieldCount == 0)
        {
            _buffer.Truncate(_lineStart);
            _state = LineState.Idle;
            return false;
        }

        WriteTimestamp(timestampNs);
        _state = LineState.Idle;
        LinesWritten++;
        return true;
    }

    /// <summary>Drops the line in progress, if any.</summary>
    public void CancelLine()
    {
        if (_state != LineState.Idle)
        {
            _buffer.Truncate(_lineStart);
            _state = LineState.Idle;
        }
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>Between lines: every byte in the buffer belongs to a complete line.</summary>
    private void Spill()
    {
        try
        {
            _spill!.Write(_buffer.Written(_buffer.Length));
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
        BytesSpilled += _buffer.Length;
        _buffer.Truncate(0);
    }

    private void StartLine()
    {
        if (_state != LineState.Idle)
        {
            throw Abandon(new InvalidOperationException("BeginLine called before the previous line was ended."));
        }
        if (_spill is not null && _buffer.Length >= SpillThreshold)
        {
            Spill();
        }

        _lineStart = _buffer.Length;
        _state = LineState.Tags;
        _fieldCount = 0;
        _previousTagKey = null;
    }

    private void StartTag(string key)
    {
        if (_state != LineState.Tags)
        {
            throw Abandon(new InvalidOperationException(
                _state == LineState.Idle ? "Tag called without BeginLine." : "Tags must come before fields."));
        }

        if (_previousTagKey is not null && string.CompareOrdinal(_previousTagKey, key) >= 0)
        {
            throw Abandon(new ArgumentException(
                $"Tag key '{key}' must sort after '{_previousTagKey}': pass tags in ordinal key order, without duplicates.",
                nameof(key)));
        }

        _previousTagKey = key;
    }

    private bool TagValueIsWritable(string key, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        NameProblem problem = LineProtocolSyntax.CheckTagValue(value);
        if (problem != NameProblem.None)
        {
            throw Abandon(new ArgumentException(
                $"The value of tag '{key}' {LineProtocolSyntax.Describe(problem)} and cannot be written.", nameof(value)));
        }

        return true;
    }

    private void EnsureFieldAllowed(EncodedName key)
    {
        EnsureLineOpenForField();
        RequireKind(key, NameKind.FieldKey);
    }

    private void EnsureLineOpenForField()
    {
        if (_state == LineState.Idle)
        {
            throw new InvalidOperationException("Field called without BeginLine.");
        }

        _state = LineState.Fields;
    }

    private void EnsureStringFieldWritable(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        NameProblem problem = LineProtocolSyntax.CheckStringField(value);
        if (problem != NameProblem.None)
        {
            throw Abandon(new ArgumentException(
                $"The value of field '{key}' {LineProtocolSyntax.Describe(problem)} and cannot be written.", nameof(value)));
        }
    }

    private void StartField(EncodedName key)
    {
        EnsureFieldAllowed(key);
        WriteKey(NextFieldSeparator(), key);
    }

    private byte NextFieldSeparator() => _fieldCount++ == 0 ? (byte)' ' : (byte)',';

    /// <summary>Writes separator, key and '='.</summary>
    private void WriteKey(byte separator, EncodedName key)
    {
        ReadOnlySpan<byte> utf8 = key.Utf8;
        Span<byte> span = _buffer.GetSpan(utf8.Length + 2);
        span[0] = separator;
        utf8.CopyTo(span[1..]);
        span[utf8.Length + 1] = (byte)'=';
        _buffer.Advance(utf8.Length + 2);
    }

    private void RequireKind(EncodedName name, NameKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Kind != kind)
        {
            throw Abandon(new ArgumentException($"'{name.Value}' is encoded as a {name.Kind}, not a {kind}.", nameof(name)));
        }
    }

    private void WriteInteger(long value)
    {
        Span<byte> span = _buffer.GetSpan(MaxNumberLength);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        _buffer.Advance(written);
    }

    private void WriteIntegerField(long value)
    {
        Span<byte> span = _buffer.GetSpan(MaxNumberLength);
        value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)'i';
        _buffer.Advance(written + 1);
    }

    private void WriteFloat(double value)
    {
        Span<byte> span = _buffer.GetSpan(MaxNumberLength);
        if (!value.TryFormat(span, out int written, default, CultureInfo.InvariantCulture))
        {
            throw Abandon(new InvalidOperationException($"Could not format {value.ToString(CultureInfo.InvariantCulture)}."));
        }

        _buffer.Advance(written);
    }

    private void WriteStringValue(string value)
    {
        _buffer.WriteByte((byte)'"');
        WriteEscaped(value, LineProtocolSyntax.StringFieldEscapes);
        _buffer.WriteByte((byte)'"');
    }

    /// <summary>Writes " timestamp\n"; all lines of a gather share one timestamp, so it is formatted once.</summary>
    private void WriteTimestamp(long timestampNs)
    {
        if (_formattedTimestampLength == 0 || timestampNs != _formattedTimestamp)
        {
            _formattedTimestampBytes[0] = (byte)' ';
            timestampNs.TryFormat(_formattedTimestampBytes.AsSpan(1), out int written, default, CultureInfo.InvariantCulture);
            _formattedTimestampBytes[written + 1] = (byte)'\n';
            _formattedTimestamp = timestampNs;
            _formattedTimestampLength = written + 2;
        }

        _buffer.Write(_formattedTimestampBytes.AsSpan(0, _formattedTimestampLength));
    }

    private void WriteEscaped(ReadOnlySpan<char> text, SearchValues<char> escapes)
    {
        while (true)
        {
            int next = text.IndexOfAny(escapes);
            WriteUtf8(next < 0 ? text : text[..next]);
            if (next < 0)
            {
                return;
            }

            // Every escaped character is ASCII, so a run never splits a surrogate pair.
            Span<byte> pair = _buffer.GetSpan(2);
            pair[0] = (byte)'\\';
            pair[1] = (byte)text[next];
            _buffer.Advance(2);
            text = text[(next + 1)..];
        }
    }

    private void WriteUtf8(ReadOnlySpan<char> run)
    {
        if (run.IsEmpty)
        {
            return;
        }

        Span<byte> span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(run.Length));
        OperationStatus status = Utf8.FromUtf16(run, span, out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            // Unreachable for validated input: lone surrogates are rejected before writing.
            throw Abandon(new ArgumentException("Text is not valid UTF-16."));
        }

        _buffer.Advance(written);
    }

    private Exception Abandon(Exception exception)
    {
        CancelLine();
        return exception;
    }
}

/// <summary>The stream the lines were being written to failed (stdout closed by its reader: EPIPE).</summary>
internal sealed class OutputClosedException(IOException inner) : IOException(inner.Message, inner);
