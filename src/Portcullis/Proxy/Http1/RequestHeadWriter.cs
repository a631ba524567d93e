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

    public static byte[] Write(HttpContext context, Upstream upstream, (string For, string Proto, string Host) forwarded, string requestId, bool trustedPeer, out int length) =>
        Write(context, upstream, forwarded, requestId, trustedPeer, ClientIpOf(context), out length);

    private static string ClientIpOf(HttpContext context) =>
        context.Features.Get<Hosting.GatewayContext>()?.Event.ClientIp?.ToString() ?? context.Connection.RemoteIpAddress?.ToString() ?? "";

    public static byte[] Write(HttpContext context, Upstream upstream, (string For, string Proto, string Host) forwarded, string requestId, bool trustedPeer, string clientIp, out int length)
    {
        var request = context.Request;
        var builder = new HeadBuilder(2048);
        builder.Append(request.Method);
        builder.Append(" ");
        builder.Append(upstream.PathBase);
        // Forward the path routing matched (decoded, dot segments removed, re-encoded), never the raw target:
        // "/internal/../app" matched route /app and must not reach the upstream as "/internal/../app", where a
        // server that does not normalise would serve /internal.
        builder.Append(request.Path.HasValue ? request.Path.ToUriComponent() : "/");
        builder.AppendQuery(request.QueryString.Value);
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
        builder.AppendHeader(ForwardedHeaderNames.XRealIp, clientIp);
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
            case 9: return (!trustedPeer && name.Equals(ForwardedHeaderNames.Forwarded, StringComparison.OrdinalIgnoreCase)) ||
                           name.Equals(ForwardedHeaderNames.XRealIp, StringComparison.OrdinalIgnoreCase);
            case 11: return !trustedPeer && name.Equals(ForwardedHeaderNames.XClientIp, StringComparison.OrdinalIgnoreCase);
            case 16 when !trustedPeer && name.Equals(ForwardedHeaderNames.CfConnectingIp, StringComparison.OrdinalIgnoreCase):
                return true;
            case 10: return name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase);
            case 12: return name.Equals(Observability.RequestTrackingMiddleware.RequestIdHeader, StringComparison.OrdinalIgnoreCase);
            case 14: return name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
                            (!trustedPeer && name.Equals(ForwardedHeaderNames.TrueClientIp, StringComparison.OrdinalIgnoreCase));
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

        /// <summary>The query as received, with any byte that cannot stand in a request line (≤ 0x20, ≥ 0x7F: an HTTP/2 :path may carry them) percent-encoded.</summary>
        public void AppendQuery(string? query)
        {
            if (string.IsNullOrEmpty(query))
            {
                return;
            }
            if (!query.AsSpan().ContainsAnyExceptInRange((char)0x21, (char)0x7E))
            {
                Append(query);
                return;
            }
            Span<byte> utf8 = stackalloc byte[4];
            foreach (var rune in query.EnumerateRunes())
            {
                if (rune.Value is > 0x20 and < 0x7F)
                {
                    Ensure(1);
                    Buffer[Length++] = (byte)rune.Value;
                    continue;
                }
                var count = rune.EncodeToUtf8(utf8);
                Ensure(count * 3);
                for (var i = 0; i < count; i++)
                {
                    Buffer[Length++] = (byte)'%';
                    Buffer[Length++] = (byte)"0123456789ABCDEF"[utf8[i] >> 4];
                    Buffer[Length++] = (byte)"0123456789ABCDEF"[utf8[i] & 0xF];
                }
            }
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
