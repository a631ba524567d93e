using System.Text;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// The multipart/form-data state machine of ModSecurity v2 (<c>multipart_process_chunk</c> and
/// <c>multipart_complete</c> in msc_multipart.c), fed the whole buffered body. The body is cut into "buffers" the way
/// ModSecurity fills its 4096-byte line buffer: up to and including a <c>\n</c>, or 4096 bytes, or 4095 when the next
/// byte is a <c>\r</c> (it never ends a buffer on a <c>\r</c>). Each buffer is then a boundary, a part header line or
/// part data. What counts as a boundary and which anomaly flags a buffer raises follow the C code line by line,
/// including its C-string view of the buffer (a NUL byte ends it for the boundary tests).
/// </summary>
internal sealed partial class MultipartReader
{
    /// <summary>MULTIPART_BUF_SIZE in msc_multipart.h: the longest header line, and the data chunk size.</summary>
    internal const int BufferSize = 4096;

    private readonly byte[] _boundary;
    private readonly MultipartFlags _flags;
    private readonly MultipartNames _names;
    private readonly MultipartLimits _limits;
    private readonly BodyParseResult _result;

    private MultipartPart? _part;
    private int _boundaryCount;
    private int _partCount;
    private int _fileCount;
    private bool _complete;

    // ModSecurity's buf_contains_line: the buffer starts at the beginning of a line.
    private bool _atLineStart = true;

    // ModSecurity's crlf_state_buf_end == 2: the previous buffer ended with a bare LF.
    private bool _previousEndedWithBareLf;

    // The line break (1 = "\n", 2 = "\r\n") held back from the part's last data buffer: it belongs to the next
    // boundary unless more data follows (ModSecurity's reserve[]).
    private int _reserve;

    public MultipartReader(string boundary, MultipartFlags flags, MultipartNames names, MultipartLimits limits, BodyParseResult result)
    {
        _boundary = Encoding.Latin1.GetBytes(boundary);
        _flags = flags;
        _names = names;
        _limits = limits;
        _result = result;
    }

    /// <returns>The error message, or null when the body parsed.</returns>
    public string? Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            // ModSecurity's multipart_complete checks nothing when no data was seen.
            return null;
        }

        var position = 0;
        while (position < body.Length)
        {
            var window = body.Slice(position, Math.Min(BufferSize, body.Length - position));
            var newline = window.IndexOf((byte)'\n');
            int take;
            var full = false;
            if (newline >= 0)
            {
                take = newline + 1;
                full = take == BufferSize;
            }
            else if (window.Length == BufferSize)
            {
                take = window[BufferSize - 1] == (byte)'\r' ? BufferSize - 1 : BufferSize;
                full = true;
            }
            else
            {
                // The body ends without a line break: these bytes stay in the buffer for the final check.
                return Complete(window);
            }

            var buffer = window[..take];
            position += take;
            var error = ProcessBuffer(buffer, full);
            if (error is not null)
            {
                _flags.Error = true;
                return "Multipart parsing error: " + error;
            }

            _atLineStart = newline >= 0;
            _previousEndedWithBareLf = newline >= 0 && (take < 2 || buffer[take - 2] != (byte)'\r');
            if (_complete)
            {
                // ModSecurity stops reading at the final boundary; anything after it is ignored but flagged.
                _flags.DataAfter |= position < body.Length;
                return null;
            }
        }
        return Complete(ReadOnlySpan<byte>.Empty);
    }

    private string? ProcessBuffer(ReadOnlySpan<byte> buffer, bool full)
    {
        var processedAsBoundary = false;
        var length = CLength(buffer);
        if (_atLineStart && length > 3 && buffer[0] == (byte)'-' && buffer[1] == (byte)'-')
        {
            if (length >= _boundary.Length + 2 && MatchesBoundary(buffer, 2))
            {
                var error = ProcessBoundaryLine(buffer, ref processedAsBoundary);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                var error = CheckUnmatchedBoundary(buffer, length);
                if (error is not null)
                {
                    return error;
                }
            }
        }
        else if (_atLineStart)
        {
            // A boundary inside a line is not one, but may fool a less careful parser behind us.
            var from = 0;
            int dashes;
            while ((dashes = buffer[from..].IndexOf("--"u8)) >= 0)
            {
                if (MatchesBoundary(buffer, from + dashes + 2))
                {
                    _flags.UnmatchedBoundary = true;
                    break;
                }
                from += dashes + 1;
            }
        }

        if (processedAsBoundary)
        {
            return null;
        }
        if (_part is null)
        {
            _flags.DataBefore = true;
            return null;
        }
        if (!_part.InData)
        {
            return full
                ? $"Multipart: Part header line over {BufferSize} bytes long"
                : ProcessHeaderLine(buffer);
        }
        ProcessData(buffer);
        return null;
    }

    private string? ProcessBoundaryLine(ReadOnlySpan<byte> buffer, ref bool processedAsBoundary)
    {
        if (_previousEndedWithBareLf)
        {
            _flags.LfLine = true;
        }
        if (_part is not null && !_part.DataRead && _boundaryCount > 0)
        {
            // The boundary comes where the part's data should begin: not taken as a boundary.
            _flags.InvalidPart = true;
            return null;
        }

        var end = 2 + _boundary.Length;
        var isFinal = false;
        if (At(buffer, end) == '-' && At(buffer, end + 1) == '-')
        {
            isFinal = true;
            end += 2;
        }

        var crlf = At(buffer, end) == '\r' && At(buffer, end + 1) == '\n' && At(buffer, end + 2) == 0;
        var lf = At(buffer, end) == '\n' && At(buffer, end + 1) == 0;
        if (!crlf && !lf)
        {
            return "Multipart: Invalid boundary: " + ByteStrings.Escape(buffer);
        }
        if (lf)
        {
            _flags.LfLine = true;
        }
        else
        {
            _flags.CrlfLine = true;
        }

        var error = ProcessBoundary(isFinal);
        if (error is not null)
        {
            return error;
        }
        _complete = isFinal;
        processedAsBoundary = true;
        _boundaryCount++;
        return null;
    }

    private string? CheckUnmatchedBoundary(ReadOnlySpan<byte> buffer, int length)
    {
        if (_flags.BoundaryQuoted && length >= _boundary.Length + 3 && buffer[2] == (byte)'"' && MatchesBoundary(buffer, 3))
        {
            return "Multipart: Invalid boundary (quotes).";
        }

        var p = 2;
        while (MultipartSyntax.IsSpace(At(buffer, p)))
        {
            p++;
        }
        if (p != 2 && MatchesBoundary(buffer, p))
        {
            return "Multipart: Invalid boundary (whitespace).";
        }

        // "--" at the start of a line that is not our boundary (a nested boundary, or just "-- comment").
        _flags.UnmatchedBoundary = true;
        return null;
    }

    /// <summary>Ends the current part (if any) and, unless this is the final boundary, starts the next one.</summary>
    private string? ProcessBoundary(bool isFinal)
    {
        if (_part is not null)
        {
            FinishPart(_part);
            _part = null;
        }
        if (isFinal)
        {
            return null;
        }
        if (++_partCount > _limits.MaxParts)
        {
            return $"Multipart: More than {_limits.MaxParts} parts.";
        }
        _part = new MultipartPart();
        _reserve = 0;
        return null;
    }

    private void FinishPart(MultipartPart part)
    {
        if (part.Name is null)
        {
            _flags.InvalidPart = true;
            return;
        }
        foreach (var line in part.HeaderLines)
        {
            _result.PartHeaders.Add(new(part.Name, line));
        }
        if (part.IsFile)
        {
            _result.Files.Add(new UploadedFile(part.Name, part.FileName ?? string.Empty, part.Length, part.GetHeader("Content-Type") ?? string.Empty));
        }
        else
        {
            _result.Arguments.Add(new(part.Name, part.Value));
        }
    }

    private void ProcessData(ReadOnlySpan<byte> buffer)
    {
        var part = _part!;
        part.DataRead = true;

        var held = 0;
        if (buffer.Length >= 1 && buffer[^1] == (byte)'\n')
        {
            held = buffer.Length >= 2 && buffer[^2] == (byte)'\r' ? 2 : 1;
        }

        if (part.IsFile && !part.CountedAsFile)
        {
            part.CountedAsFile = true;
            if (++_fileCount > _limits.MaxFiles)
            {
                _flags.FileLimitExceeded = true;
            }
        }

        // The line break held back from the previous buffer turned out to be content.
        part.Append(_reserve switch { 2 => "\r\n"u8, 1 => "\n"u8, _ => default });
        part.Append(buffer[..^held]);
        _reserve = held;
    }

    /// <summary>ModSecurity's <c>multipart_complete</c>: a final boundary without a line break ends the body too.</summary>
    private string? Complete(ReadOnlySpan<byte> unterminated)
    {
        if (_complete)
        {
            return null;
        }
        if (_boundaryCount == 0)
        {
            return "Multipart parsing error: Multipart: No boundaries found in payload.";
        }

        if (_atLineStart && IsBareFinalBoundary(unterminated))
        {
            if (_previousEndedWithBareLf)
            {
                _flags.LfLine = true;
            }
            if (_part is not null && !_part.DataRead)
            {
                _flags.InvalidPart = true;
            }
            var error = ProcessBoundary(isFinal: true);
            if (error is not null)
            {
                _flags.Error = true;
                return "Multipart parsing error: " + error;
            }
            _complete = true;
            return null;
        }
        return "Multipart parsing error: Multipart: Final boundary missing.";
    }

    private bool IsBareFinalBoundary(ReadOnlySpan<byte> buffer) =>
        buffer.Length == _boundary.Length + 4
        && buffer[0] == (byte)'-' && buffer[1] == (byte)'-'
        && MatchesBoundary(buffer, 2)
        && buffer[^2] == (byte)'-' && buffer[^1] == (byte)'-';

    /// <summary>C <c>strncmp(buffer + offset, boundary, strlen(boundary)) == 0</c> on the NUL-terminated buffer.</summary>
    private bool MatchesBoundary(ReadOnlySpan<byte> buffer, int offset)
    {
        for (var i = 0; i < _boundary.Length; i++)
        {
            if (At(buffer, offset + i) != _boundary[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The byte at <paramref name="index"/>, or the C string terminator past the end.</summary>
    private static int At(ReadOnlySpan<byte> buffer, int index) => index < buffer.Length ? buffer[index] : 0;

    /// <summary>C <c>strlen</c>: the buffer up to its first NUL byte.</summary>
    private static int CLength(ReadOnlySpan<byte> buffer)
    {
        var nul = buffer.IndexOf((byte)0);
        return nul < 0 ? buffer.Length : nul;
    }
}
