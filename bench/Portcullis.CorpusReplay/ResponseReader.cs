using System.Globalization;
using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Reads one HTTP/1.1 response off a connection and consumes its body (RFC 9112 §6.3: no body after HEAD, 1xx, 204
/// and 304; chunked; Content-Length; else until close), so the connection can carry the next request. Interim 1xx
/// responses are skipped. Every read is bounded: a head over 64 KB or a malformed chunk fails the exchange.
/// </summary>
internal sealed class ResponseReader(Stream stream)
{
    private const int MaxHead = 64 * 1024;
    private readonly byte[] _buffer = new byte[MaxHead];
    private int _start;
    private int _end;

    /// <summary>Null when the peer closed the connection before sending a single byte.</summary>
    public async Task<ResponseHead?> ReadAsync(string method, CancellationToken cancellationToken)
    {
        var first = true;
        while (true)
        {
            var head = await ReadHeadAsync(allowEmptyEof: first, cancellationToken);
            if (head is null)
            {
                return null;
            }

            first = false;
            var (status, keepAlive, length, chunked) = Parse(head);
            if (status is >= 100 and < 200 && status != 101)
            {
                continue;
            }

            if (method == "HEAD" || status is 204 or 304 || status < 200)
            {
                return new ResponseHead(status, keepAlive);
            }

            if (chunked)
            {
                await SkipChunkedAsync(cancellationToken);
            }
            else if (length is long n)
            {
                await SkipAsync(n, cancellationToken);
            }
            else
            {
                while (await FillAsync(cancellationToken))
                {
                    _start = _end;
                }

                keepAlive = false;
            }

            return new ResponseHead(status, keepAlive);
        }
    }

    private async Task<string?> ReadHeadAsync(bool allowEmptyEof, CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                var head = Encoding.Latin1.GetString(_buffer, _start, at);
                _start += at + 4;
                return head;
            }

            if (_end - _start >= MaxHead)
            {
                throw new InvalidDataException("response head over 64 KB");
            }

            var hadBytes = _end > _start;
            if (!await FillAsync(cancellationToken))
            {
                return !hadBytes && allowEmptyEof ? null : throw new InvalidDataException("connection closed inside a response head");
            }
        }
    }

    private static (int Status, bool KeepAlive, long? Length, bool Chunked) Parse(string head)
    {
        var lines = head.Split("\r\n");
        var statusLine = lines[0];
        if (!statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal) || statusLine.Length < 12
            || !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException($"not an HTTP/1.x status line: '{statusLine[..Math.Min(60, statusLine.Length)]}'");
        }

        // HTTP/1.1 defaults to persistent connections, HTTP/1.0 to closing (RFC 9112 §9.3).
        var keepAlive = statusLine[7] == '1';
        long? length = null;
        var chunked = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    keepAlive = token.Equals("close", StringComparison.OrdinalIgnoreCase) ? false
                        : token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || keepAlive;
                }
            }
        }

        return (status, keepAlive, chunked ? null : length, chunked);
    }

    private async Task SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            var semicolon = line.IndexOf(';', StringComparison.Ordinal);
            var size = long.Parse(semicolon >= 0 ? line[..semicolon].Trim() : line.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // trailer fields, ignored
                }

                return;
            }

            await SkipAsync(size + 2, cancellationToken);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at);
                _start += at + 2;
                return line;
            }

            if (_end - _start >= 4096 || !await FillAsync(cancellationToken))
            {
                throw new InvalidDataException("bad chunk framing");
            }
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new InvalidDataException("connection closed inside a response body");
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    // Reads more bytes after the unread ones; false at end of stream.
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("response line over 64 KB");
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
