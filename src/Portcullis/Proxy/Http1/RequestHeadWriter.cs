using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portcullis.Proxy.Http1;

/// <summary>
/// Writes the HTTP/1.1 request head sent upstream (RFC 9112 §3): the client's method and target, the upstream's
/// Host, the client's end-to-end headers, and the gateway's forwarding headers. Hop-by-hop headers (RFC 9110
/// §7.6.1) and every header the client named in Connection stay behind; the body framing is ours
/// (Content-Length only: the fast path never forwards chunked request bodies).
/// </summary>
internal static class RequestHeadWriter
{
    private static readonly SearchValues<char> ListSeparators = SearchValues.Create(", \t"); // RFC 9110 §5.6.1: OWS is SP or HTAB

    public static byte[] Write(HttpContext context, Upstream upstream, (string For, string Proto, string Host) forwarded, string requestId, bool trustedPeer, out int length)
    {
        var request = context.Request;
        var builder = new HeadBuilder(2048);
        builder.Append(request.Method);
        builder.Append(" ");
        builder.Append(upstream.PathBase);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is { Length: > 0 } && rawTarget[0] == '/')
        {
            builder.Append(rawTarget);
        }
        else
        {
            builder.Append(request.Path.HasValue ? request.Path.ToUriComponent() : "/");
            builder.Append(request.QueryString.ToUriComponent());
        }
        builder.Append(" HTTP/1.1\r\nHost: ");
        builder.Append(upstream.Authority);
        builder.Append("\r\n");

        var headers = request.Headers;
        var connectionTokens = headers.Connection;
        foreach (var header in headers)
        {
            var name = header.Key;
            if (IsSkipped(name, trustedPeer) || (connectionTokens.Count > 0 && IsListedIn(connectionTokens, name)))
            {
                continue;
            }
            if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase) && header.Value.Count > 1)
            {
                // HTTP/2 clients may split cookies into several fields; HTTP/1.1 wants one (RFC 9113 §8.2.3).
                builder.AppendHeader(name, string.Join("; ", header.Value.ToArray()));
                continue;
            }
            foreach (var value in header.Value)
            {
                builder.AppendHeader(name, value ?? "");
            }
        }
        builder.AppendHeader(ForwardedHeaderNames.XForwardedFor, forwarded.For);
        builder.AppendHeader(ForwardedHeaderNames.XForwardedProto, forwarded.Proto);
        builder.AppendHeader(ForwardedHeaderNames.XForwardedHost, forwarded.Host);
        builder.AppendHeader(Observability.RequestTrackingMiddleware.RequestIdHeader, requestId);
        if (request.ContentLength is { } contentLength)
        {
            builder.Append("Content-Length: ");
            builder.AppendNumber(contentLength);
            builder.Append("\r\n");
        }
        builder.Append("\r\n");
        length = builder.Length;
        return builder.Buffer;
    }

    private static bool IsSkipped(string name, bool trustedPeer)
    {
        switch (name.Length)
        {
            case 2: return name.Equals("TE", StringComparison.OrdinalIgnoreCase);
            case 4: return name.Equals("Host", StringComparison.OrdinalIgnoreCase);
            case 7: return name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase);
            case 9: return !trustedPeer && name.Equals(ForwardedHeaderNames.Forwarded, StringComparison.OrdinalIgnoreCase);
            case 10: return name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);
            case 12: return name.Equals(Observability.RequestTrackingMiddleware.RequestIdHeader, StringComparison.OrdinalIgnoreCase);
            case 14: return name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
            case 15: return name.Equals(ForwardedHeaderNames.XForwardedFor, StringComparison.OrdinalIgnoreCase);
            case 16: return name.Equals(ForwardedHeaderNames.XForwardedHost, StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase);
            case 17: return name.Equals(ForwardedHeaderNames.XForwardedProto, StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);
            default: return false;
        }
    }

    private static bool IsListedIn(Microsoft.Extensions.Primitives.StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            var rest = (value ?? "").AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOfAny(ListSeparators);
                var token = end < 0 ? rest : rest[..end];
                if (token.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
                rest = end < 0 ? default : rest[(end + 1)..];
            }
        }
        return false;
    }

    /// <summary>A growable byte buffer rented from the shared pool; the caller returns <see cref="Buffer"/>.</summary>
    private struct HeadBuilder(int capacity)
    {
        public byte[] Buffer = ArrayPool<byte>.Shared.Rent(capacity);
        public int Length;

        public void Append(string text)
        {
            Ensure(text.Length);
            // Latin-1 keeps every byte Kestrel accepted in a header (it rejects CR, LF and NUL itself).
            Length += Encoding.Latin1.GetBytes(text, Buffer.AsSpan(Length));
        }

        public void AppendHeader(string name, string value)
        {
            Ensure(name.Length + value.Length + 4);
            var span = Buffer.AsSpan(Length);
            var written = Encoding.Latin1.GetBytes(name, span);
            span[written++] = (byte)':';
            span[written++] = (byte)' ';
            written += Encoding.Latin1.GetBytes(value, span[written..]);
            span[written++] = (byte)'\r';
            span[written++] = (byte)'\n';
            Length += written;
        }

        public void AppendNumber(long value)
        {
            Ensure(20);
            value.TryFormat(Buffer.AsSpan(Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            Length += written;
        }

        private void Ensure(int more)
        {
            if (Length + more <= Buffer.Length)
            {
                return;
            }
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, Length + more));
            Buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = bigger;
        }
    }
}
