using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// Parses an upstream's HTTP/1.1 response head (RFC 9112 §4-§6) into the client response's headers. Strict
/// where leniency would let an upstream smuggle or split: obsolete line folding, whitespace before the colon,
/// conflicting Content-Length values and control characters are all protocol errors (502).
/// </summary>
internal static class ResponseHeadParser
{
    /// <summary>Common names, so each response does not allocate them again.</summary>
    private static readonly FrozenDictionary<string, string> KnownNames = new[]
    {
        "Content-Type", "Content-Length", "Date", "Server", "Cache-Control", "Set-Cookie", "ETag", "Last-Modified", "Location",
        "Vary", "Expires", "Content-Encoding", "Content-Language", "Accept-Ranges", "X-Powered-By", "Strict-Transport-Security",
        "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Age", "Pragma",
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Content-Disposition", "Link", "WWW-Authenticate",
        "Keep-Alive", "Connection", "Transfer-Encoding", "Upgrade", "Trailer", "Proxy-Connection", "TE", "X-AspNet-Version",
        "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Content-Range", "Retry-After", "Allow",
    }.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownLookup =
        KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Length of the head including the blank line, or -1 when it has not fully arrived.</summary>
    public static int FindHeadEnd(ReadOnlySpan<byte> data)
    {
        var index = data.IndexOf("\r\n\r\n"u8);
        return index < 0 ? -1 : index + 4;
    }

    /// <summary>Reads only the status code (to skip 1xx heads without touching the response).</summary>
    public static int ParseStatus(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.x SSS" — the reason phrase is optional and ignored.
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || (head[7] != (byte)'1' && head[7] != (byte)'0') || head[8] != (byte)' ' ||
            !IsDigit(head[9]) || !IsDigit(head[10]) || !IsDigit(head[11]) || (head.Length > 12 && head[12] != (byte)' ' && head[12] != (byte)'\r'))
        {
            throw new UpstreamProtocolException("the upstream's status line is not HTTP/1.x");
        }
        var status = ((head[9] - '0') * 100) + ((head[10] - '0') * 10) + (head[11] - '0');
        if (status is < 100 or > 599)
        {
            // RFC 9110 §15: valid codes are 100-599; Kestrel would put anything else on the client's wire as-is.
            throw new UpstreamProtocolException("the upstream's status code is outside 100-599");
        }
        return status;
    }

    public static ResponseHead Parse(ReadOnlySpan<byte> head, IHeaderDictionary target)
    {
        var result = new ResponseHead { StatusCode = ParseStatus(head), ContentLength = -1, Close = head[7] == (byte)'0' };
        var keepAlive10 = false;
        var closeToken = false;
        List<string>? connectionTokens = null;
        var lineEnd = head.IndexOf("\r\n"u8);
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd <= 0)
            {
                break;
            }
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                throw new UpstreamProtocolException("the upstream used obsolete header line folding");
            }
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                throw new UpstreamProtocolException("the upstream sent a malformed header line");
            }
            var nameBytes = line[..colon];
            var valueBytes = line[(colon + 1)..].Trim(" \t"u8);
            if (valueBytes.ContainsAnyInRange((byte)0, (byte)8) || valueBytes.ContainsAnyInRange((byte)10, (byte)31) || valueBytes.Contains((byte)127))
            {
                throw new UpstreamProtocolException("the upstream sent a control character in a header value");
            }
            if (!Ascii.IsValid(valueBytes))
            {
                // obs-text (RFC 9110 §5.5) is legal but Kestrel sends ASCII only (no ResponseHeaderEncodingSelector) and
                // throws when it is set; YARP answers such a response with 502 (ForwarderError.ResponseHeaders) too.
                throw new UpstreamProtocolException("the upstream sent a non-ASCII header value");
            }
            var name = NameOf(nameBytes);
            switch (name)
            {
                case "Content-Length":
                    var length = ParseContentLength(valueBytes);
                    if (result.ContentLength >= 0 && result.ContentLength != length)
                    {
                        throw new UpstreamProtocolException("the upstream sent conflicting Content-Length values");
                    }
                    result.ContentLength = length;
                    continue;
                case "Transfer-Encoding":
                    result.HasTransferEncoding = true;
                    result.Chunked = EndsWithChunked(valueBytes);
                    continue;
                case "Connection":
                    foreach (var token in Encoding.Latin1.GetString(valueBytes).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (token.Equals("close", StringComparison.OrdinalIgnoreCase))
                        {
                            result.Close = true;
                            closeToken = true;
                        }
                        else if (token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                        {
                            keepAlive10 = true;
                        }
                        else
                        {
                            (connectionTokens ??= []).Add(token);
                        }
                    }
                    continue;
                case "Keep-Alive" or "Upgrade" or "Trailer" or "Proxy-Connection" or "TE":
                    continue;
            }
            target.Append(name, Encoding.Latin1.GetString(valueBytes));
        }
        // RFC 9112 §9.3: "close" wins over a keep-alive listed beside it.
        if (head[7] == (byte)'0' && keepAlive10 && !closeToken && !result.HasTransferEncoding)
        {
            result.Close = false;
        }
        if (result.HasTransferEncoding)
        {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and such a message "ought to be handled as an
            // error" by the connection: forward it, but never reuse the connection after it.
            if (result.ContentLength >= 0)
            {
                result.Close = true;
            }
            result.ContentLength = -1;
            if (!result.Chunked)
            {
                result.Close = true;
            }
        }
        if (connectionTokens is not null)
        {
            foreach (var token in connectionTokens)
            {
                target.Remove(token);
            }
        }
        return result;
    }

    private static string NameOf(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length <= 64 ? bytes.Length : 0];
        if (bytes.Length <= 64)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[i] = (char)bytes[i];
            }
            if (KnownLookup.TryGetValue(chars, out var known))
            {
                return known;
            }
        }
        return Encoding.Latin1.GetString(bytes);
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        // Accept "N" and a list of identical values "N, N" (RFC 9110 §8.6); anything else is an error.
        long result = -1;
        foreach (var range in value.Split((byte)','))
        {
            var part = value[range].Trim(" \t"u8);
            if (part.IsEmpty || part.Length > 18)
            {
                throw new UpstreamProtocolException("the upstream sent an invalid Content-Length");
            }
            long n = 0;
            foreach (var b in part)
            {
                if (!IsDigit(b))
                {
                    throw new UpstreamProtocolException("the upstream sent an invalid Content-Length");
                }
                n = (n * 10) + (b - '0');
            }
            if (result >= 0 && result != n)
            {
                throw new UpstreamProtocolException("the upstream sent conflicting Content-Length values");
            }
            result = n;
        }
        return result;
    }

    /// <summary>
    /// Only "chunked" is accepted: we remove the chunking, and any other coding ("gzip", "gzip, chunked") would reach the
    /// client still applied with nothing saying so. Servers use Content-Encoding for compression anyway.
    /// </summary>
    private static bool EndsWithChunked(ReadOnlySpan<byte> value)
    {
        if (!Ascii.EqualsIgnoreCase(value.Trim(" \t"u8), "chunked"u8))
        {
            throw new UpstreamProtocolException("the upstream used a transfer coding other than chunked");
        }
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>RFC 9110 §5.6.2 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(b is >= (byte)'a' and <= (byte)'z' || b is >= (byte)'A' and <= (byte)'Z' || IsDigit(b) ||
                  b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+' or
                      (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~'))
            {
                return false;
            }
        }
        return true;
    }
}
